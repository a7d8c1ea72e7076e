// Markdown splitting for the conversation view: fences, display math, inline math,
// streaming (partial) input, and MarkdownDocument's in-place row updates.
#include "markdown_blocks.h"
#include "markdown_document.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using tiefsee::ui::MarkdownBlock;
using tiefsee::ui::MarkdownDocument;
using tiefsee::ui::splitMarkdown;
using Kind = MarkdownBlock::Kind;

class TestMarkdown : public QObject {
    Q_OBJECT

private slots:
    void proseSplitsAtBlankLines()
    {
        const auto blocks = splitMarkdown("# Title\n\nFirst paragraph\nstill first.\n\nSecond.");
        QCOMPARE(blocks.size(), 3);
        QCOMPARE(blocks[0].text, QString("# Title"));
        QCOMPARE(blocks[1].text, QString("First paragraph\nstill first."));
        QCOMPARE(blocks[2].kind, Kind::Text);
    }

    void listsAndTablesStayTogether()
    {
        const auto blocks = splitMarkdown("Steps:\n\n1. one\n\n2. two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nEnd");
        QCOMPARE(blocks.size(), 4);
        QCOMPARE(blocks[1].text, QString("1. one\n\n2. two"));
        QCOMPARE(blocks[2].text, QString("| a | b |\n|---|---|\n| 1 | 2 |"));
    }

    void fencedCode()
    {
        const auto blocks = splitMarkdown("Here:\n```cpp\nint main() {\n\n  return 0;\n}\n```\nDone.");
        QCOMPARE(blocks.size(), 3);
        QCOMPARE(blocks[1].kind, Kind::Code);
        QCOMPARE(blocks[1].language, QString("cpp"));
        QCOMPARE(blocks[1].text, QString("int main() {\n\n  return 0;\n}"));
        QVERIFY(blocks[1].closed);
        QCOMPARE(blocks[2].text, QString("Done."));
    }

    void tildeFenceAndLongerClose()
    {
        const auto blocks = splitMarkdown("~~~\n```not a close\n~~~~\nafter");
        QCOMPARE(blocks.size(), 2);
        QCOMPARE(blocks[0].text, QString("```not a close"));
        QVERIFY(blocks[0].closed);
    }

    void unclosedFenceWhileStreaming()
    {
        const auto blocks = splitMarkdown("Code:\n```python\nprint(1)\nprint(");
        QCOMPARE(blocks.size(), 2);
        QCOMPARE(blocks[1].kind, Kind::Code);
        QVERIFY(!blocks[1].closed);
        QCOMPARE(blocks[1].text, QString("print(1)\nprint("));
    }

    void displayMath()
    {
        const auto blocks = splitMarkdown("So\n$$\nx^2 + y^2 = z^2\n$$\nand \\[ \\boxed{42} \\] end");
        QCOMPARE(blocks.size(), 3);
        QCOMPARE(blocks[1].kind, Kind::Math);
        QCOMPARE(blocks[1].text, QString("x^2 + y^2 = z^2"));
        QCOMPARE(blocks[2].text, QString("and \\[ \\boxed{42} \\] end"));  // not at line start: prose
        const auto one = splitMarkdown("\\[ \\boxed{42} \\]");
        QCOMPARE(one.size(), 1);
        QCOMPARE(one[0].kind, Kind::Math);
        QCOMPARE(one[0].text, QString("\\boxed{42}"));
    }

    void inlineMathBecomesCode()
    {
        QCOMPARE(tiefsee::ui::inlineMathToCode("Area $a^2$ and \\(b_1\\)."), QString("Area `a^2` and `b_1`."));
        // Money is not math.
        QCOMPARE(tiefsee::ui::inlineMathToCode("costs $5 and $10 now"), QString("costs $5 and $10 now"));
        // Existing code spans are left alone.
        QCOMPARE(tiefsee::ui::inlineMathToCode("`$x$` and $y$"), QString("`$x$` and `y`"));
    }

    void documentUpdatesInPlaceWhileStreaming()
    {
        MarkdownDocument doc;
        QAbstractItemModelTester tester(&doc, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&doc, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&doc, &QAbstractItemModel::rowsRemoved);
        QSignalSpy changed(&doc, &QAbstractItemModel::dataChanged);
        QSignalSpy reset(&doc, &QAbstractItemModel::modelReset);

        // Feed an answer a few characters at a time, as the 40 ms batches would.
        const QString answer = "First paragraph.\n\n```js\nlet x = 1;\n```\n\nLast words here.";
        for (qsizetype n = 1; n <= answer.size(); n += 3)
            doc.setMarkdown(answer.left(n));
        doc.setMarkdown(answer);

        QCOMPARE(doc.rowCount(), 3);
        QCOMPARE(doc.data(doc.index(0), MarkdownDocument::TextRole).toString(), QString("First paragraph."));
        QCOMPARE(doc.data(doc.index(1), MarkdownDocument::KindRole).toString(), QString("code"));
        QCOMPARE(doc.data(doc.index(1), MarkdownDocument::TextRole).toString(), QString("let x = 1;"));
        QCOMPARE(doc.data(doc.index(2), MarkdownDocument::TextRole).toString(), QString("Last words here."));
        QCOMPARE(reset.count(), 0);
        // Rows were appended as blocks appeared; the growing block changed in place.
        QVERIFY(changed.count() > 10);
        QVERIFY(inserted.count() >= 3);
        // The first paragraph's row was never removed once complete.
        for (const auto& args : removed)
            QVERIFY(args.at(1).toInt() >= 1);
    }

    void documentShrinksAndClears()
    {
        MarkdownDocument doc;
        QAbstractItemModelTester tester(&doc, QAbstractItemModelTester::FailureReportingMode::QtTest);
        doc.setMarkdown("a\n\nb\n\n```\nc\n```");
        QCOMPARE(doc.rowCount(), 3);
        doc.setMarkdown("a");
        QCOMPARE(doc.rowCount(), 1);
        doc.setMarkdown("");
        QCOMPARE(doc.rowCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestMarkdown)
#include "tst_markdown.moc"
