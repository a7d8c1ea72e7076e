// MarkdownDocument: incremental list model over splitMarkdown() (see markdown_document.h).
#include "markdown_document.h"

namespace tiefsee::ui {

MarkdownDocument::MarkdownDocument(QObject* parent) : QAbstractListModel(parent) {}

void MarkdownDocument::setMarkdown(const QString& markdown)
{
    if (markdown == m_markdown)
        return;
    m_markdown = markdown;
    const QList<MarkdownBlock> next = splitMarkdown(markdown);

    const qsizetype oldCount = m_blocks.size();
    const qsizetype common = std::min(oldCount, next.size());
    // Rows whose kind stays the same are updated in place; the first kind change ends that.
    qsizetype same = 0;
    while (same < common && m_blocks[same].kind == next[same].kind)
        ++same;
    for (qsizetype i = 0; i < same; ++i) {
        if (m_blocks[i] == next[i])
            continue;
        m_blocks[i] = next[i];
        emit dataChanged(index(int(i)), index(int(i)));
    }
    if (same < oldCount) {
        beginRemoveRows({}, int(same), int(oldCount - 1));
        m_blocks.resize(same);
        endRemoveRows();
    }
    if (same < next.size()) {
        beginInsertRows({}, int(same), int(next.size() - 1));
        m_blocks.append(next.mid(same));
        endInsertRows();
    }
    emit markdownChanged();
}

int MarkdownDocument::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_blocks.size()); }

QVariant MarkdownDocument::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const MarkdownBlock& b = m_blocks[index.row()];
    switch (role) {
    case KindRole:
        return b.kind == MarkdownBlock::Kind::Text ? QStringLiteral("text")
               : b.kind == MarkdownBlock::Kind::Code ? QStringLiteral("code")
                                                     : QStringLiteral("math");
    case TextRole:
    case Qt::DisplayRole:
        return b.text;
    case LanguageRole:
        return b.language;
    case ClosedRole:
        return b.closed;
    default:
        return {};
    }
}

QHash<int, QByteArray> MarkdownDocument::roleNames() const
{
    return {{KindRole, "kind"}, {TextRole, "text"}, {LanguageRole, "language"}, {ClosedRole, "closed"}};
}

}  // namespace tiefsee::ui
