// AppSettings: QSettings-backed preferences (see app_settings.h).
#include "bridge/app_settings.h"

#include <algorithm>
#include <cmath>

namespace tiefsee::bridge {

namespace {
// Keys in the settings file. Named once so a typo can't split a value in two.
constexpr auto kTheme = "appearance/theme";
constexpr auto kFontSize = "appearance/fontSize";
constexpr auto kLanguage = "appearance/language";
constexpr auto kTemperature = "generation/temperature";
constexpr auto kTopP = "generation/topP";
constexpr auto kTopK = "generation/topK";
constexpr auto kMinP = "generation/minP";
constexpr auto kRepeatPenalty = "generation/repeatPenalty";
constexpr auto kMaxTokens = "generation/maxTokens";
constexpr auto kContext = "generation/contextLength";
constexpr auto kSystemPrompt = "generation/systemPrompt";
constexpr auto kDefaultModel = "models/default";
constexpr auto kDevice = "hardware/deviceIndex";
constexpr auto kGeometry = "window/geometry";
constexpr auto kMaximized = "window/maximized";
constexpr auto kLastConversation = "session/lastConversation";
constexpr auto kFirstRunDone = "session/firstRunDone";

constexpr int kDefaultFontSize = 14;

bool same(double a, double b) { return std::abs(a - b) < 1e-9; }
}  // namespace

AppSettings::AppSettings(QObject* parent) : QObject(parent), m_settings(std::make_unique<QSettings>())
{
    loadGeneration();
}

AppSettings::AppSettings(const QString& path, QObject* parent)
    : QObject(parent), m_settings(std::make_unique<QSettings>(path, QSettings::IniFormat))
{
    loadGeneration();
}

AppSettings::~AppSettings() { m_settings->sync(); }

QString AppSettings::theme() const
{
    const QString t = m_settings->value(kTheme, "system").toString();
    return (t == "light" || t == "dark") ? t : QStringLiteral("system");
}

void AppSettings::setTheme(const QString& v)
{
    if (v == theme())
        return;
    m_settings->setValue(kTheme, v);
    emit themeChanged();
}

int AppSettings::fontSize() const { return m_settings->value(kFontSize, kDefaultFontSize).toInt(); }

void AppSettings::setFontSize(int px)
{
    px = std::clamp(px, 10, 24);
    if (px == fontSize())
        return;
    m_settings->setValue(kFontSize, px);
    emit fontSizeChanged();
}

QString AppSettings::language() const { return m_settings->value(kLanguage, QString()).toString(); }

void AppSettings::setLanguage(const QString& v)
{
    if (v == language())
        return;
    m_settings->setValue(kLanguage, v);
    emit languageChanged();
}

void AppSettings::loadGeneration()
{
    const GenerationParams d;
    m_gen.temperature = m_settings->value(kTemperature, d.temperature).toDouble();
    m_gen.topP = m_settings->value(kTopP, d.topP).toDouble();
    m_gen.topK = m_settings->value(kTopK, d.topK).toInt();
    m_gen.minP = m_settings->value(kMinP, d.minP).toDouble();
    m_gen.repeatPenalty = m_settings->value(kRepeatPenalty, d.repeatPenalty).toDouble();
    m_gen.maxTokens = m_settings->value(kMaxTokens, d.maxTokens).toInt();
    m_gen.contextLength = m_settings->value(kContext, d.contextLength).toInt();
    m_gen.systemPrompt = m_settings->value(kSystemPrompt, d.systemPrompt).toString();
}

void AppSettings::saveGeneration()
{
    m_settings->setValue(kTemperature, m_gen.temperature);
    m_settings->setValue(kTopP, m_gen.topP);
    m_settings->setValue(kTopK, m_gen.topK);
    m_settings->setValue(kMinP, m_gen.minP);
    m_settings->setValue(kRepeatPenalty, m_gen.repeatPenalty);
    m_settings->setValue(kMaxTokens, m_gen.maxTokens);
    m_settings->setValue(kContext, m_gen.contextLength);
    m_settings->setValue(kSystemPrompt, m_gen.systemPrompt);
    emit generationChanged();
}

// Each setter clamps to the range the sampler accepts, so a bad value in the file or a
// slider bug can't reach the engine.
void AppSettings::setTemperature(double v)
{
    v = std::clamp(v, 0.0, 2.0);
    if (same(v, m_gen.temperature))
        return;
    m_gen.temperature = v;
    saveGeneration();
}

void AppSettings::setTopP(double v)
{
    v = std::clamp(v, 0.0, 1.0);
    if (same(v, m_gen.topP))
        return;
    m_gen.topP = v;
    saveGeneration();
}

void AppSettings::setTopK(int v)
{
    v = std::clamp(v, 0, 1000);
    if (v == m_gen.topK)
        return;
    m_gen.topK = v;
    saveGeneration();
}

void AppSettings::setMinP(double v)
{
    v = std::clamp(v, 0.0, 1.0);
    if (same(v, m_gen.minP))
        return;
    m_gen.minP = v;
    saveGeneration();
}

void AppSettings::setRepeatPenalty(double v)
{
    v = std::clamp(v, 1.0, 2.0);
    if (same(v, m_gen.repeatPenalty))
        return;
    m_gen.repeatPenalty = v;
    saveGeneration();
}

void AppSettings::setMaxTokens(int v)
{
    v = std::clamp(v, 16, 131072);
    if (v == m_gen.maxTokens)
        return;
    m_gen.maxTokens = v;
    saveGeneration();
}

void AppSettings::setContextLength(int v)
{
    v = std::clamp(v, 512, 131072);
    if (v == m_gen.contextLength)
        return;
    m_gen.contextLength = v;
    saveGeneration();
}

void AppSettings::setSystemPrompt(const QString& v)
{
    if (v == m_gen.systemPrompt)
        return;
    m_gen.systemPrompt = v;
    saveGeneration();
}

bool AppSettings::generationIsDefault() const
{
    const GenerationParams d;
    return same(m_gen.temperature, d.temperature) && same(m_gen.topP, d.topP) && m_gen.topK == d.topK &&
           same(m_gen.minP, d.minP) && same(m_gen.repeatPenalty, d.repeatPenalty) && m_gen.maxTokens == d.maxTokens &&
           m_gen.contextLength == d.contextLength && m_gen.systemPrompt == d.systemPrompt;
}

void AppSettings::resetGenerationDefaults()
{
    m_gen = GenerationParams{};
    saveGeneration();
}

QString AppSettings::defaultModel() const { return m_settings->value(kDefaultModel).toString(); }

void AppSettings::setDefaultModel(const QString& path)
{
    if (path == defaultModel())
        return;
    m_settings->setValue(kDefaultModel, path);
    emit defaultModelChanged();
}

int AppSettings::deviceIndex() const { return m_settings->value(kDevice, -1).toInt(); }

void AppSettings::setDeviceIndex(int index)
{
    if (index == deviceIndex())
        return;
    m_settings->setValue(kDevice, index);
    emit deviceIndexChanged();
}

QRect AppSettings::windowGeometry() const { return m_settings->value(kGeometry).toRect(); }

void AppSettings::setWindowGeometry(const QRect& r)
{
    if (r == windowGeometry())
        return;
    m_settings->setValue(kGeometry, r);
    emit windowGeometryChanged();
}

bool AppSettings::windowMaximized() const { return m_settings->value(kMaximized, false).toBool(); }

void AppSettings::setWindowMaximized(bool v)
{
    if (v == windowMaximized())
        return;
    m_settings->setValue(kMaximized, v);
    emit windowGeometryChanged();
}

qint64 AppSettings::lastConversation() const { return m_settings->value(kLastConversation, -1).toLongLong(); }

void AppSettings::setLastConversation(qint64 id)
{
    if (id == lastConversation())
        return;
    m_settings->setValue(kLastConversation, id);
    emit lastConversationChanged();
}

bool AppSettings::firstRunDone() const { return m_settings->value(kFirstRunDone, false).toBool(); }

void AppSettings::setFirstRunDone(bool v)
{
    if (v == firstRunDone())
        return;
    m_settings->setValue(kFirstRunDone, v);
    emit firstRunDoneChanged();
}

void AppSettings::sync() { m_settings->sync(); }

}  // namespace tiefsee::bridge
