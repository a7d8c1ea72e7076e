// AppSettings and GenerationOverrides: persistence, clamping, R1 defaults, overrides JSON.
#include "bridge/app_settings.h"
#include "bridge/generation_overrides.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using tiefsee::bridge::AppSettings;
using tiefsee::bridge::GenerationOverrides;

class TestAppSettings : public QObject {
    Q_OBJECT

private slots:
    void defaultsAreDeepSeekAdvice()
    {
        QTemporaryDir dir;
        AppSettings s(dir.filePath("s.ini"));
        QCOMPARE(s.temperature(), 0.6);
        QCOMPARE(s.topP(), 0.95);
        QVERIFY(s.systemPrompt().isEmpty());
        QVERIFY(s.generationIsDefault());
        QCOMPARE(s.theme(), QString("system"));
        QCOMPARE(s.deviceIndex(), -1);
        QCOMPARE(s.lastConversation(), qint64(-1));
    }

    void persistsAcrossInstances()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("s.ini");
        {
            AppSettings s(path);
            QSignalSpy spy(&s, &AppSettings::generationChanged);
            s.setTemperature(0.7);
            s.setTopK(40);
            s.setSystemPrompt("Be brief.");
            s.setTheme("dark");
            s.setLanguage("de");
            s.setFontSize(16);
            s.setWindowGeometry(QRect(10, 20, 900, 700));
            s.setLastConversation(42);
            s.setDefaultModel("/models/a.gguf");
            QCOMPARE(spy.count(), 3);
            QVERIFY(!s.generationIsDefault());
        }
        AppSettings s(path);
        QCOMPARE(s.temperature(), 0.7);
        QCOMPARE(s.topK(), 40);
        QCOMPARE(s.systemPrompt(), QString("Be brief."));
        QCOMPARE(s.theme(), QString("dark"));
        QCOMPARE(s.language(), QString("de"));
        QCOMPARE(s.fontSize(), 16);
        QCOMPARE(s.windowGeometry(), QRect(10, 20, 900, 700));
        QCOMPARE(s.lastConversation(), qint64(42));
        QCOMPARE(s.defaultModel(), QString("/models/a.gguf"));
        s.resetGenerationDefaults();
        QVERIFY(s.generationIsDefault());
        QCOMPARE(s.temperature(), 0.6);
    }

    void clampsOutOfRangeValues()
    {
        QTemporaryDir dir;
        AppSettings s(dir.filePath("s.ini"));
        s.setTemperature(9);
        QCOMPARE(s.temperature(), 2.0);
        s.setTopP(-1);
        QCOMPARE(s.topP(), 0.0);
        s.setContextLength(1);
        QCOMPARE(s.contextLength(), 512);
        s.setFontSize(100);
        QCOMPARE(s.fontSize(), 24);
        s.setTheme("purple");
        QCOMPARE(s.theme(), QString("system"));
    }

    void overridesFollowDefaultsUntilActive()
    {
        QTemporaryDir dir;
        AppSettings s(dir.filePath("s.ini"));
        GenerationOverrides o(&s);
        QSignalSpy edited(&o, &GenerationOverrides::edited);
        QVERIFY(!o.active());
        QCOMPARE(o.effective().temperature, 0.6);
        s.setTemperature(0.5);
        QCOMPARE(o.effective().temperature, 0.5);  // inactive: the app default

        o.setActive(true);  // starts from the current defaults
        QCOMPARE(o.temperature(), 0.5);
        o.setTemperature(1.1);
        o.setSystemPrompt("Answer in German.");
        QCOMPARE(o.effective().temperature, 1.1);
        QCOMPARE(s.temperature(), 0.5);  // the app default is untouched
        QCOMPARE(edited.count(), 3);

        const QJsonObject json = o.toJson();
        GenerationOverrides loaded(&s);
        loaded.load(json);
        QVERIFY(loaded.active());
        QCOMPARE(loaded.temperature(), 1.1);
        QCOMPARE(loaded.effective().systemPrompt, QString("Answer in German."));

        loaded.load({});
        QVERIFY(!loaded.active());
        QVERIFY(o.toJson().contains("override"));
        o.setActive(false);
        QVERIFY(o.toJson().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestAppSettings)
#include "tst_app_settings.moc"
