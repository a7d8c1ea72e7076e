// GenerationOverrides: sampling settings that apply to one conversation only. When
// `active` is false the conversation follows the app defaults (AppSettings). The
// properties mirror AppSettings' generation properties, so the settings page binds
// to either object with the same names. The owner (ChatController) loads and saves
// the values with the conversation (its settings JSON in the store).
#pragma once

#include "bridge/app_settings.h"

#include <QJsonObject>
#include <QObject>

namespace tiefsee::bridge {

class GenerationOverrides : public QObject {
    Q_OBJECT
    Q_PROPERTY(bool active READ active WRITE setActive NOTIFY changed)
    Q_PROPERTY(double temperature READ temperature WRITE setTemperature NOTIFY changed)
    Q_PROPERTY(double topP READ topP WRITE setTopP NOTIFY changed)
    Q_PROPERTY(int topK READ topK WRITE setTopK NOTIFY changed)
    Q_PROPERTY(double minP READ minP WRITE setMinP NOTIFY changed)
    Q_PROPERTY(double repeatPenalty READ repeatPenalty WRITE setRepeatPenalty NOTIFY changed)
    Q_PROPERTY(int maxTokens READ maxTokens WRITE setMaxTokens NOTIFY changed)
    Q_PROPERTY(int contextLength READ contextLength WRITE setContextLength NOTIFY changed)
    Q_PROPERTY(QString systemPrompt READ systemPrompt WRITE setSystemPrompt NOTIFY changed)
    Q_PROPERTY(bool generationIsDefault READ generationIsDefault NOTIFY changed)

public:
    // `defaults` supplies the values an override starts from; not owned.
    explicit GenerationOverrides(const AppSettings* defaults, QObject* parent = nullptr);

    bool active() const { return m_active; }
    void setActive(bool on);
    double temperature() const { return m_params.temperature; }
    void setTemperature(double v);
    double topP() const { return m_params.topP; }
    void setTopP(double v);
    int topK() const { return m_params.topK; }
    void setTopK(int v);
    double minP() const { return m_params.minP; }
    void setMinP(double v);
    double repeatPenalty() const { return m_params.repeatPenalty; }
    void setRepeatPenalty(double v);
    int maxTokens() const { return m_params.maxTokens; }
    void setMaxTokens(int v);
    int contextLength() const { return m_params.contextLength; }
    void setContextLength(int v);
    QString systemPrompt() const { return m_params.systemPrompt; }
    void setSystemPrompt(const QString& v);
    bool generationIsDefault() const;
    Q_INVOKABLE void resetGenerationDefaults();

    // The parameters a generation in this conversation uses: the overrides when active,
    // else the app defaults.
    GenerationParams effective() const;

    // {"override": true, "temperature": 0.7, ...}; {} when not active.
    QJsonObject toJson() const;
    // Loads a conversation's JSON (inactive when empty or without "override"). Emits
    // `changed` but not `edited`.
    void load(const QJsonObject& json);

signals:
    void changed();
    // The user changed something: the owner saves toJson() with the conversation.
    void edited();

private:
    void set(const GenerationParams& p);

    const AppSettings* m_defaults;
    GenerationParams m_params;
    bool m_active = false;
};

}  // namespace tiefsee::bridge
