// MarkdownDocument: one message's Markdown as a list of blocks for a QML Repeater.
// Setting `markdown` again (every ~40 ms while an answer streams) updates rows in
// place: unchanged blocks keep their delegates, the growing last block gets a
// dataChanged, new blocks are inserted. So streaming never rebuilds the message.
#pragma once

#include "markdown_blocks.h"

#include <QAbstractListModel>
#include <QtQml/qqmlregistration.h>

namespace tiefsee::ui {

class MarkdownDocument : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString markdown READ markdown WRITE setMarkdown NOTIFY markdownChanged)

public:
    enum Role { KindRole = Qt::UserRole + 1, TextRole, LanguageRole, ClosedRole };

    explicit MarkdownDocument(QObject* parent = nullptr);

    QString markdown() const { return m_markdown; }
    void setMarkdown(const QString& markdown);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

signals:
    void markdownChanged();

private:
    QString m_markdown;
    QList<MarkdownBlock> m_blocks;
};

}  // namespace tiefsee::ui
