// AppSettings: the user's preferences (appearance, generation defaults, device, window
// state), persisted with QSettings. Lives on the GUI thread; QML binds to its properties
// through the Tiefsee.Ui module. Every setter writes through immediately, so a crash
// never loses a changed preference.
#pragma once

#include <QObject>
#include <QRect>
#include <QSettings>
#include <QString>

#include <memory>

namespace tiefsee::bridge {

// Sampling parameters of one generation. Defaults are DeepSeek's advice for R1:
// temperature 0.6, top-p 0.95, no system prompt.
struct GenerationParams {
    double temperature = 0.6;      // 0 = greedy
    double topP = 0.95;            // nucleus mass, 1 = off
    int topK = 0;                  // 0 = off
    double minP = 0.0;             // relative to the most likely token, 0 = off
    double repeatPenalty = 1.0;    // 1 = off
    int maxTokens = 32768;         // generated tokens per answer (R1 thinks long)
    int contextLength = 8192;      // KV cache size in tokens
    QString systemPrompt;          // empty: R1 works best without one
};

class AppSettings : public QObject {
    Q_OBJECT
    // Appearance
    Q_PROPERTY(QString theme READ theme WRITE setTheme NOTIFY themeChanged)           // "system" | "light" | "dark"
    Q_PROPERTY(int fontSize READ fontSize WRITE setFontSize NOTIFY fontSizeChanged)     // base text size, pixels
    Q_PROPERTY(QString language READ language WRITE setLanguage NOTIFY languageChanged) // "" (system) | "en" | "de"
    // Generation defaults (a conversation may override them)
    Q_PROPERTY(double temperature READ temperature WRITE setTemperature NOTIFY generationChanged)
    Q_PROPERTY(double topP READ topP WRITE setTopP NOTIFY generationChanged)
    Q_PROPERTY(int topK READ topK WRITE setTopK NOTIFY generationChanged)
    Q_PROPERTY(double minP READ minP WRITE setMinP NOTIFY generationChanged)
    Q_PROPERTY(double repeatPenalty READ repeatPenalty WRITE setRepeatPenalty NOTIFY generationChanged)
    Q_PROPERTY(int maxTokens READ maxTokens WRITE setMaxTokens NOTIFY generationChanged)
    Q_PROPERTY(int contextLength READ contextLength WRITE setContextLength NOTIFY generationChanged)
    Q_PROPERTY(QString systemPrompt READ systemPrompt WRITE setSystemPrompt NOTIFY generationChanged)
    Q_PROPERTY(bool generationIsDefault READ generationIsDefault NOTIFY generationChanged)
    // Model and device
    Q_PROPERTY(QString defaultModel READ defaultModel WRITE setDefaultModel NOTIFY defaultModelChanged) // GGUF path
    Q_PROPERTY(int deviceIndex READ deviceIndex WRITE setDeviceIndex NOTIFY deviceIndexChanged)         // -1 = automatic
    // Window state and session
    Q_PROPERTY(QRect windowGeometry READ windowGeometry WRITE setWindowGeometry NOTIFY windowGeometryChanged)
    Q_PROPERTY(bool windowMaximized READ windowMaximized WRITE setWindowMaximized NOTIFY windowGeometryChanged)
    Q_PROPERTY(qint64 lastConversation READ lastConversation WRITE setLastConversation NOTIFY lastConversationChanged)
    Q_PROPERTY(bool firstRunDone READ firstRunDone WRITE setFirstRunDone NOTIFY firstRunDoneChanged)

public:
    // Uses the application's default QSettings location (organisation/application name).
    explicit AppSettings(QObject* parent = nullptr);
    // Uses an INI file at `path` (tests).
    explicit AppSettings(const QString& path, QObject* parent = nullptr);
    ~AppSettings() override;

    QString theme() const;
    void setTheme(const QString& v);
    int fontSize() const;
    void setFontSize(int px);
    QString language() const;
    void setLanguage(const QString& v);

    double temperature() const { return m_gen.temperature; }
    void setTemperature(double v);
    double topP() const { return m_gen.topP; }
    void setTopP(double v);
    int topK() const { return m_gen.topK; }
    void setTopK(int v);
    double minP() const { return m_gen.minP; }
    void setMinP(double v);
    double repeatPenalty() const { return m_gen.repeatPenalty; }
    void setRepeatPenalty(double v);
    int maxTokens() const { return m_gen.maxTokens; }
    void setMaxTokens(int v);
    int contextLength() const { return m_gen.contextLength; }
    void setContextLength(int v);
    QString systemPrompt() const { return m_gen.systemPrompt; }
    void setSystemPrompt(const QString& v);
    bool generationIsDefault() const;
    const GenerationParams& generation() const { return m_gen; }
    // Back to DeepSeek's R1 advice (temperature 0.6, top-p 0.95, no system prompt).
    Q_INVOKABLE void resetGenerationDefaults();

    QString defaultModel() const;
    void setDefaultModel(const QString& path);
    int deviceIndex() const;
    void setDeviceIndex(int index);

    QRect windowGeometry() const;
    void setWindowGeometry(const QRect& r);
    bool windowMaximized() const;
    void setWindowMaximized(bool v);
    qint64 lastConversation() const;
    void setLastConversation(qint64 id);
    bool firstRunDone() const;
    void setFirstRunDone(bool v);

    // Flushes to disk (QSettings writes lazily otherwise).
    Q_INVOKABLE void sync();

signals:
    void themeChanged();
    void fontSizeChanged();
    void languageChanged();
    void generationChanged();
    void defaultModelChanged();
    void deviceIndexChanged();
    void windowGeometryChanged();
    void lastConversationChanged();
    void firstRunDoneChanged();

private:
    void loadGeneration();
    void saveGeneration();

    std::unique_ptr<QSettings> m_settings;
    GenerationParams m_gen;  // cached copy of the "generation/" group
};

}  // namespace tiefsee::bridge
