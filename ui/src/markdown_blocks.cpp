// Markdown block splitting (see markdown_blocks.h). Hand-written because we only need
// to find fences and math, not parse Markdown: Qt's MarkdownText renders the prose.
#include "markdown_blocks.h"

#include <QRegularExpression>
#include <QStringList>

namespace tiefsee::ui {

namespace {

// An opening code fence: up to 3 spaces, 3+ backticks or tildes, an info string.
const QRegularExpression& fenceRe()
{
    static const QRegularExpression re(QStringLiteral("^ {0,3}(`{3,}|~{3,})\\s*([^`\\s]*)[^`]*$"));
    return re;
}

// 'l' for a list item, 't' for a table row, 0 otherwise.
char lineKind(const QString& line)
{
    static const QRegularExpression list(QStringLiteral("^\\s*([-*+]|\\d+[.)])\\s"));
    if (list.match(line).hasMatch())
        return 'l';
    return line.trimmed().startsWith(QLatin1Char('|')) ? 't' : 0;
}

bool isIndented(const QString& line) { return line.startsWith(QLatin1Char(' ')) || line.startsWith(QLatin1Char('\t')); }

void flushText(QList<MarkdownBlock>& out, QStringList& lines)
{
    // Drop leading/trailing blank lines; an all-blank run makes no block.
    while (!lines.isEmpty() && lines.first().trimmed().isEmpty())
        lines.removeFirst();
    while (!lines.isEmpty() && lines.last().trimmed().isEmpty())
        lines.removeLast();
    if (!lines.isEmpty())
        out.append({MarkdownBlock::Kind::Text, inlineMathToCode(lines.join(QLatin1Char('\n'))), {}, true});
    lines.clear();
}

}  // namespace

QString inlineMathToCode(const QString& prose)
{
    // \( ... \) on one line.
    static const QRegularExpression paren(QStringLiteral("\\\\\\((.+?)\\\\\\)"));
    // $...$: not $$, content without newline/$, no space just inside, no digit right after.
    static const QRegularExpression dollar(QStringLiteral("(?<![\\\\$])\\$(?!\\$)([^\\s$](?:[^$\\n]*[^\\s$])?)\\$(?![\\d$])"));
    // Leave existing inline code spans untouched: only rewrite outside backticks.
    QString result;
    const QStringList parts = prose.split(QLatin1Char('`'));
    for (qsizetype i = 0; i < parts.size(); ++i) {
        QString part = parts[i];
        if (i % 2 == 0) {
            part.replace(paren, QStringLiteral("`\\1`"));
            part.replace(dollar, QStringLiteral("`\\1`"));
        }
        if (i > 0)
            result += QLatin1Char('`');
        result += part;
    }
    return result;
}

QList<MarkdownBlock> splitMarkdown(const QString& markdown)
{
    QList<MarkdownBlock> out;
    const QStringList lines = markdown.split(QLatin1Char('\n'));
    QStringList prose;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString& line = lines[i];
        const QString trimmed = line.trimmed();

        // Fenced code: runs to a closing fence of the same character and at least the same length.
        if (const auto m = fenceRe().match(line); m.hasMatch()) {
            flushText(out, prose);
            const QString fence = m.captured(1);
            MarkdownBlock block{MarkdownBlock::Kind::Code, {}, m.captured(2), false};
            QStringList code;
            for (++i; i < lines.size(); ++i) {
                const QString t = lines[i].trimmed();
                if (t.startsWith(fence) && t.count(fence[0]) == t.size()) {
                    block.closed = true;
                    break;
                }
                code.append(lines[i]);
            }
            block.text = code.join(QLatin1Char('\n'));
            out.append(block);
            continue;
        }

        // Display math: $$ ... $$ or \[ ... \], possibly on one line.
        const bool dollars = trimmed.startsWith(QLatin1String("$$"));
        const bool bracket = trimmed.startsWith(QLatin1String("\\["));
        if (dollars || bracket) {
            flushText(out, prose);
            const QString close = dollars ? QStringLiteral("$$") : QStringLiteral("\\]");
            QString rest = trimmed.mid(2);
            MarkdownBlock block{MarkdownBlock::Kind::Math, {}, {}, false};
            QStringList math;
            for (;;) {
                const qsizetype end = rest.indexOf(close);
                if (end >= 0) {
                    math.append(rest.left(end));
                    block.closed = true;
                    break;
                }
                math.append(rest);
                if (++i >= lines.size())
                    break;
                rest = lines[i];
            }
            while (!math.isEmpty() && math.last().trimmed().isEmpty())
                math.removeLast();
            while (!math.isEmpty() && math.first().trimmed().isEmpty())
                math.removeFirst();
            block.text = math.join(QLatin1Char('\n')).trimmed();
            out.append(block);
            continue;
        }

        // A blank line ends a prose block unless the same list continues after it (a loose
        // list split in two would restart its numbering).
        if (trimmed.isEmpty() && !prose.isEmpty()) {
            const QString next = i + 1 < lines.size() ? lines[i + 1] : QString();
            const bool inList = lineKind(prose.last()) == 'l' || isIndented(prose.last());
            const bool continues = inList && (lineKind(next) == 'l' || isIndented(next));
            if (!continues) {
                flushText(out, prose);
                continue;
            }
        }
        prose.append(line);
    }
    flushText(out, prose);
    return out;
}

}  // namespace tiefsee::ui
