// One message of a conversation, as the chat template and the session see it.
// Assistant content is stored as the model produced it, reasoning included
// ("<think>\n...</think>\n\nanswer"); the template decides how much of it goes
// back into the prompt (R1 keeps only the text after the last `</think>`).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tiefsee::chat {

enum class Role { System, User, Assistant };

struct ChatMessage {
    Role role = Role::User;
    std::string content;  // UTF-8
};

using Conversation = std::vector<ChatMessage>;

// "system" / "user" / "assistant".
std::string_view roleName(Role role);
// Inverse of roleName(); nullopt for anything else (e.g. "tool", which we don't support).
std::optional<Role> parseRole(std::string_view name);

}  // namespace tiefsee::chat
