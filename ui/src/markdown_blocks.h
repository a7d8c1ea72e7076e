// Splits a Markdown answer into blocks the conversation view draws differently:
// prose (rendered by Text.MarkdownText), fenced code (monospace, copy button) and
// display math (shown as code, since Qt has no TeX renderer). Pure functions, so
// tests can check the split; MarkdownDocument wraps them in a list model.
#pragma once

#include <QList>
#include <QString>

namespace tiefsee::ui {

struct MarkdownBlock {
    enum class Kind { Text, Code, Math };
    Kind kind = Kind::Text;
    QString text;      // Text: Markdown source; Code/Math: the verbatim content, no fences
    QString language;  // Code: the fence's info string ("cpp"), else empty
    bool closed = true;  // Code/Math: false while the closing fence hasn't streamed in yet

    bool operator==(const MarkdownBlock&) const = default;
};

// Splits `markdown` into blocks. Prose is split at blank lines (outside lists and
// tables) so that a streaming answer only changes its last block. Inline math
// (`$x$`, `\(x\)`) becomes inline code in the prose. Safe on partial input.
QList<MarkdownBlock> splitMarkdown(const QString& markdown);

// Rewrites inline math to inline code: "$a^2$" -> "`a^2`", "\(x\)" -> "`x`". Dollar
// amounts ("$5 and $10") are left alone: the content may not start or end with a
// space and the closing $ may not be followed by a digit.
QString inlineMathToCode(const QString& prose);

}  // namespace tiefsee::ui
