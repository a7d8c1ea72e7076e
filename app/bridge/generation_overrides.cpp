// GenerationOverrides (see generation_overrides.h).
#include "bridge/generation_overrides.h"

#include <algorithm>
#include <cmath>

namespace tiefsee::bridge {

namespace {
bool same(double a, double b) { return std::abs(a - b) < 1e-9; }
bool sameParams(const GenerationParams& a, const GenerationParams& b)
{
    return same(a.temperature, b.temperature) && same(a.topP, b.topP) && a.topK == b.topK && same(a.minP, b.minP) &&
           same(a.repeatPenalty, b.repeatPenalty) && a.maxTokens == b.maxTokens && a.contextLength == b.contextLength &&
           a.systemPrompt == b.systemPrompt;
}
}  // namespace

GenerationOverrides::GenerationOverrides(const AppSettings* defaults, QObject* parent)
    : QObject(parent), m_defaults(defaults), m_params(defaults->generation())
{
}

void GenerationOverrides::setActive(bool on)
{
    if (on == m_active)
        return;
    m_active = on;
    if (on)
        m_params = m_defaults->generation();  // start from what the chat used so far
    emit changed();
    emit edited();
}

// Same ranges as AppSettings' setters.
void GenerationOverrides::set(const GenerationParams& p)
{
    GenerationParams c = p;
    c.temperature = std::clamp(c.temperature, 0.0, 2.0);
    c.topP = std::clamp(c.topP, 0.0, 1.0);
    c.topK = std::clamp(c.topK, 0, 1000);
    c.minP = std::clamp(c.minP, 0.0, 1.0);
    c.repeatPenalty = std::clamp(c.repeatPenalty, 1.0, 2.0);
    c.maxTokens = std::clamp(c.maxTokens, 16, 131072);
    c.contextLength = std::clamp(c.contextLength, 512, 131072);
    if (sameParams(c, m_params))
        return;
    m_params = c;
    emit changed();
    emit edited();
}

void GenerationOverrides::setTemperature(double v) { auto p = m_params; p.temperature = v; set(p); }
void GenerationOverrides::setTopP(double v) { auto p = m_params; p.topP = v; set(p); }
void GenerationOverrides::setTopK(int v) { auto p = m_params; p.topK = v; set(p); }
void GenerationOverrides::setMinP(double v) { auto p = m_params; p.minP = v; set(p); }
void GenerationOverrides::setRepeatPenalty(double v) { auto p = m_params; p.repeatPenalty = v; set(p); }
void GenerationOverrides::setMaxTokens(int v) { auto p = m_params; p.maxTokens = v; set(p); }
void GenerationOverrides::setContextLength(int v) { auto p = m_params; p.contextLength = v; set(p); }
void GenerationOverrides::setSystemPrompt(const QString& v) { auto p = m_params; p.systemPrompt = v; set(p); }

bool GenerationOverrides::generationIsDefault() const { return sameParams(m_params, GenerationParams{}); }

void GenerationOverrides::resetGenerationDefaults() { set(GenerationParams{}); }

GenerationParams GenerationOverrides::effective() const { return m_active ? m_params : m_defaults->generation(); }

QJsonObject GenerationOverrides::toJson() const
{
    if (!m_active)
        return {};
    return QJsonObject{{"override", true},
                       {"temperature", m_params.temperature},
                       {"topP", m_params.topP},
                       {"topK", m_params.topK},
                       {"minP", m_params.minP},
                       {"repeatPenalty", m_params.repeatPenalty},
                       {"maxTokens", m_params.maxTokens},
                       {"contextLength", m_params.contextLength},
                       {"systemPrompt", m_params.systemPrompt}};
}

void GenerationOverrides::load(const QJsonObject& json)
{
    const GenerationParams d = m_defaults->generation();
    m_active = json.value("override").toBool(false);
    m_params.temperature = json.value("temperature").toDouble(d.temperature);
    m_params.topP = json.value("topP").toDouble(d.topP);
    m_params.topK = json.value("topK").toInt(d.topK);
    m_params.minP = json.value("minP").toDouble(d.minP);
    m_params.repeatPenalty = json.value("repeatPenalty").toDouble(d.repeatPenalty);
    m_params.maxTokens = json.value("maxTokens").toInt(d.maxTokens);
    m_params.contextLength = json.value("contextLength").toInt(d.contextLength);
    m_params.systemPrompt = json.value("systemPrompt").toString(d.systemPrompt);
    emit changed();
}

}  // namespace tiefsee::bridge
