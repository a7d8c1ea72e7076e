// The conversation database schema and its forward migrations.
//
// The version lives in `PRAGMA user_version` (0 = empty file). Each migration step
// N-1 → N runs in its own transaction together with the user_version bump, so a
// crash mid-migration leaves the previous, consistent version behind.
//
//   v1  conversations + messages as a flat list (the first release's layout)
//   v2  branches: messages.parent_id (a tree), conversations.active_leaf_id
//   v3  full-text search: FTS5 tables over titles, answers and reasoning, kept in
//       sync by triggers
//
// A database whose version is newer than kLatestSchemaVersion was written by a newer
// Tiefsee: it is refused with a message and left untouched.
#pragma once

#include "store/sqlite_db.h"

namespace tiefsee::store {

constexpr int kLatestSchemaVersion = 3;

// The version recorded in the file (0 for a fresh one).
Result<int> schemaVersion(Database& db);

// Brings the database to `target` (default: latest), one transaction per step.
// Returns the version found before migrating.
Result<int> migrate(Database& db, int target = kLatestSchemaVersion);

}  // namespace tiefsee::store
