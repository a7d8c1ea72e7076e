<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>AppearancePage</name>
    <message>
        <location filename="../../ui/qml/settings/AppearancePage.qml" line="+11"/>
        <source>Theme</source>
        <translation>Farbschema</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>System</source>
        <translation>System</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Light</source>
        <translation>Hell</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dark</source>
        <translation>Dunkel</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Theme: %1</source>
        <translation>Farbschema: %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+6"/>
        <source>Text size</source>
        <translation>Textgröße</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>Base size of the text in pixels.</source>
        <translation>Grundgröße des Textes in Pixeln.</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+21"/>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <location line="-20"/>
        <source>Changes take effect immediately.</source>
        <translation>Änderungen wirken sofort.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>System default</source>
        <translation>Systemstandard</translation>
    </message>
</context>
<context>
    <name>CodeBlock</name>
    <message>
        <location filename="../../ui/qml/components/CodeBlock.qml" line="+32"/>
        <source>math (TeX)</source>
        <translation>Mathematik (TeX)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>code</source>
        <translation>Code</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Copied</source>
        <translation>Kopiert</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+1"/>
        <source>Copy code</source>
        <translation>Code kopieren</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Formula</source>
        <translation>Formel</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Code</source>
        <translation>Code</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <location filename="../../ui/qml/components/Composer.qml" line="+41"/>
        <source>Message DeepSeek-R1…  (Enter sends, Shift+Enter for a new line)</source>
        <translation>Nachricht an DeepSeek-R1…  (Enter sendet, Umschalt+Enter für eine neue Zeile)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Message</source>
        <translation>Nachricht</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Enter sends, Shift+Enter adds a new line</source>
        <translation>Enter sendet, Umschalt+Enter fügt eine neue Zeile ein</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Model: %1. Switch model</source>
        <translation>Modell: %1. Modell wechseln</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>No model</source>
        <translation>Kein Modell</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Manage models…</source>
        <translation>Modelle verwalten…</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1 / %2 tokens</source>
        <translation>%1 / %2 Tokens</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Stop generating (Esc)</source>
        <translation>Generierung stoppen (Esc)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Send message</source>
        <translation>Nachricht senden</translation>
    </message>
</context>
<context>
    <name>ConversationRow</name>
    <message>
        <location filename="../../ui/qml/components/ConversationRow.qml" line="+26"/>
        <source>Conversation: %1</source>
        <translation>Gespräch: %1</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>New title</source>
        <translation>Neuer Titel</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>New chat</source>
        <translation>Neuer Chat</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>More</source>
        <translation>Mehr</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Conversation actions</source>
        <translation>Aktionen für das Gespräch</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Rename</source>
        <translation>Umbenennen</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Unpin</source>
        <translation>Lösen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Pin to top</source>
        <translation>Oben anheften</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Export as Markdown…</source>
        <translation>Als Markdown exportieren…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Export as JSON…</source>
        <translation>Als JSON exportieren…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Export conversation</source>
        <translation>Gespräch exportieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
</context>
<context>
    <name>ConversationView</name>
    <message>
        <location filename="../../ui/qml/components/ConversationView.qml" line="+32"/>
        <source>Messages</source>
        <translation>Nachrichten</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>What shall we think about?</source>
        <translation>Worüber wollen wir nachdenken?</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>DeepSeek-R1 reasons before it answers. Put all instructions into your message; everything stays on this computer.</source>
        <translation>DeepSeek-R1 denkt nach, bevor es antwortet. Schreibe alle Anweisungen in deine Nachricht; alles bleibt auf diesem Computer.</translation>
    </message>
</context>
<context>
    <name>GenerationPage</name>
    <message>
        <location filename="../../ui/qml/settings/GenerationPage.qml" line="+19"/>
        <source>Only for this conversation</source>
        <translation>Nur für dieses Gespräch</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Changes apply to the open conversation and are saved with it.</source>
        <translation>Änderungen gelten für das geöffnete Gespräch und werden mit ihm gespeichert.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open a conversation to give it its own settings.</source>
        <translation>Öffne ein Gespräch, um ihm eigene Einstellungen zu geben.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Use settings only for this conversation</source>
        <translation>Einstellungen nur für dieses Gespräch verwenden</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Temperature</source>
        <translation>Temperatur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Randomness. DeepSeek recommends 0.5–0.7 for R1 (0.6 default); lower values may repeat endlessly.</source>
        <translation>Zufälligkeit. DeepSeek empfiehlt 0,5–0,7 für R1 (Standard 0,6); niedrigere Werte können sich endlos wiederholen.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Top-p</source>
        <translation>Top-p</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sample only from the most likely tokens that together reach this probability.</source>
        <translation>Nur aus den wahrscheinlichsten Tokens auswählen, die zusammen diese Wahrscheinlichkeit erreichen.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Top-k</source>
        <translation>Top-k</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sample only from the k most likely tokens.</source>
        <translation>Nur aus den k wahrscheinlichsten Tokens auswählen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+8"/>
        <location line="+8"/>
        <source>off</source>
        <translation>aus</translation>
    </message>
    <message>
        <location line="-11"/>
        <source>Min-p</source>
        <translation>Min-p</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Drop tokens less likely than this fraction of the most likely one.</source>
        <translation>Verwirft Tokens, die unwahrscheinlicher sind als dieser Anteil des wahrscheinlichsten.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Repetition penalty</source>
        <translation>Wiederholungsstrafe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Discourages repeating recent tokens. 1.0 is off.</source>
        <translation>Bremst Wiederholungen kürzlich erzeugter Tokens. 1,0 ist aus.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Maximum answer length</source>
        <translation>Maximale Antwortlänge</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tokens per answer, reasoning included. R1 may think for thousands of tokens.</source>
        <translation>Tokens pro Antwort, Überlegungen eingeschlossen. R1 denkt manchmal Tausende Tokens lang nach.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Maximum answer length in tokens</source>
        <translation>Maximale Antwortlänge in Tokens</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Context length</source>
        <translation>Kontextlänge</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How much of the conversation the model sees, in tokens. Longer needs more GPU memory; the oldest turns are dropped when it is full.</source>
        <translation>Wie viel vom Gespräch das Modell sieht, in Tokens. Länger braucht mehr GPU-Speicher; ist er voll, fallen die ältesten Runden weg.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Context length in tokens</source>
        <translation>Kontextlänge in Tokens</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+15"/>
        <source>System prompt</source>
        <translation>System-Prompt</translation>
    </message>
    <message>
        <location line="-11"/>
        <source>DeepSeek&apos;s advice: R1 works best without a system prompt. Put all instructions into your message instead.</source>
        <translation>Rat von DeepSeek: R1 arbeitet am besten ohne System-Prompt. Schreibe alle Anweisungen stattdessen in deine Nachricht.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>None (recommended)</source>
        <translation>Keiner (empfohlen)</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Reset to R1 defaults</source>
        <translation>Auf R1-Standardwerte zurücksetzen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reset to R1 defaults: temperature 0.6, top-p 0.95, no system prompt</source>
        <translation>Auf R1-Standardwerte zurücksetzen: Temperatur 0,6, Top-p 0,95, kein System-Prompt</translation>
    </message>
</context>
<context>
    <name>HardwarePage</name>
    <message>
        <location filename="../../ui/qml/settings/HardwarePage.qml" line="+14"/>
        <source>Tiefsee runs the model with Vulkan. “Automatic” picks a discrete GPU first, then an integrated one, then the CPU fallback. The change applies the next time a model loads.</source>
        <translation>Tiefsee führt das Modell mit Vulkan aus. „Automatisch“ wählt zuerst eine dedizierte GPU, dann eine integrierte, dann die CPU als Ausweichlösung. Die Änderung gilt beim nächsten Laden eines Modells.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Automatic</source>
        <translation>Automatisch</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Choose the device automatically</source>
        <translation>Gerät automatisch wählen</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Use %1</source>
        <translation>%1 verwenden</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <location filename="../../ui/qml/Main.qml" line="+111"/>
        <source>Last answer copied</source>
        <translation>Letzte Antwort kopiert</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Deleted “%1”</source>
        <translation>„%1“ gelöscht</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Undo</source>
        <translation>Rückgängig</translation>
    </message>
</context>
<context>
    <name>MessageDelegate</name>
    <message>
        <location filename="../../ui/qml/components/MessageDelegate.qml" line="+69"/>
        <source>You: %1</source>
        <translation>Du: %1</translation>
    </message>
    <message>
        <location line="+13"/>
        <location line="+102"/>
        <source>Edit message</source>
        <translation>Nachricht bearbeiten</translation>
    </message>
    <message>
        <location line="-91"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Send</source>
        <translation>Senden</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Stopped</source>
        <translation>Gestoppt</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Generation failed</source>
        <translation>Generierung fehlgeschlagen</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Previous version</source>
        <translation>Vorige Version</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1/%2</source>
        <translation>%1/%2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Version %1 of %2</source>
        <translation>Version %1 von %2</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Next version</source>
        <translation>Nächste Version</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy message</source>
        <translation>Nachricht kopieren</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Copy answer</source>
        <translation>Antwort kopieren</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Edit</source>
        <translation>Bearbeiten</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Regenerate</source>
        <translation>Neu erzeugen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Regenerate answer</source>
        <translation>Antwort neu erzeugen</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 tokens · %2 t/s · %3</source>
        <translation>%1 Tokens · %2 T/s · %3</translation>
    </message>
</context>
<context>
    <name>ModelCard</name>
    <message>
        <location filename="../../ui/qml/settings/ModelCard.qml" line="+39"/>
        <source>fits</source>
        <translation>passt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>fits with a smaller context (%1)</source>
        <translation>passt mit kleinerem Kontext (%1)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>too large</source>
        <translation>zu groß</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>models folder</source>
        <translation>Modellordner</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>imported (reference)</source>
        <translation>importiert (Verweis)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>%1 min left</source>
        <translation>noch %1 min</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>recommended</source>
        <translation>empfohlen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>default</source>
        <translation>Standard</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Download progress of %1</source>
        <translation>Download-Fortschritt von %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Paused · %1</source>
        <translation>Pausiert · %1</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Verification progress of %1</source>
        <translation>Fortschritt der Prüfung von %1</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Retry download</source>
        <translation>Download wiederholen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Download</source>
        <translation>Herunterladen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Download %1</source>
        <translation>%1 herunterladen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Pause</source>
        <translation>Pausieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pause the download of %1</source>
        <translation>Download von %1 pausieren</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resume the download of %1</source>
        <translation>Download von %1 fortsetzen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel the download of %1</source>
        <translation>Download von %1 abbrechen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Use</source>
        <translation>Verwenden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Use %1 and make it the default</source>
        <translation>%1 verwenden und als Standard festlegen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Open folder</source>
        <translation>Ordner öffnen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open the folder of %1</source>
        <translation>Ordner von %1 öffnen</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Verify</source>
        <translation>Prüfen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Verify the checksum of %1</source>
        <translation>Prüfsumme von %1 prüfen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Stop checking</source>
        <translation>Prüfung abbrechen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop verifying %1</source>
        <translation>Prüfung von %1 abbrechen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete %1</source>
        <translation>%1 löschen</translation>
    </message>
</context>
<context>
    <name>ModelsPage</name>
    <message>
        <location filename="../../ui/qml/settings/ModelsPage.qml" line="+21"/>
        <source>Fit is estimated for %1.</source>
        <translation>Die Passform wird für %1 geschätzt.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Import GGUF file…</source>
        <translation>GGUF-Datei importieren…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Import a GGUF model file</source>
        <translation>Eine GGUF-Modelldatei importieren</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Open models folder</source>
        <translation>Modellordner öffnen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open the models folder</source>
        <translation>Den Modellordner öffnen</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Models</source>
        <translation>Modelle</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Installed</source>
        <translation>Installiert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Found on this computer</source>
        <translation>Auf diesem Computer gefunden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Available to download</source>
        <translation>Zum Herunterladen</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Import a GGUF model</source>
        <translation>Ein GGUF-Modell importieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>GGUF models (*.gguf)</source>
        <translation>GGUF-Modelle (*.gguf)</translation>
    </message>
</context>
<context>
    <name>PrivacyPage</name>
    <message>
        <location filename="../../ui/qml/settings/PrivacyPage.qml" line="+14"/>
        <source>Everything stays on this computer.</source>
        <translation>Alles bleibt auf diesem Computer.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Your conversations, the model&apos;s answers and your settings are stored only on this computer.</source>
        <translation>Deine Gespräche, die Antworten des Modells und deine Einstellungen werden nur auf diesem Computer gespeichert.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The model runs on your own graphics card. Nothing you type is sent anywhere.</source>
        <translation>Das Modell läuft auf deiner eigenen Grafikkarte. Nichts, was du eintippst, wird irgendwohin gesendet.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The only network traffic is a model download that you start, from Hugging Face (or the mirror you configured), and the list of file sizes for the model catalog.</source>
        <translation>Der einzige Netzwerkverkehr ist ein Modell-Download, den du startest, von Hugging Face (oder dem eingestellten Mirror), und die Liste der Dateigrößen für den Modellkatalog.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>There is no telemetry, no analytics and no crash reporting.</source>
        <translation>Es gibt keine Telemetrie, keine Analyse und keine Absturzberichte.</translation>
    </message>
</context>
<context>
    <name>ReasoningSection</name>
    <message>
        <location filename="../../ui/qml/components/ReasoningSection.qml" line="+27"/>
        <source>, expanded</source>
        <translation>, ausgeklappt</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>, collapsed</source>
        <translation>, eingeklappt</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Thinking…</source>
        <translation>Denkt nach…</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Thought for %n s</source>
        <translation>
            <numerusform>%n s nachgedacht</numerusform>
            <numerusform>%n s nachgedacht</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+44"/>
        <source>Reasoning</source>
        <translation>Überlegungen</translation>
    </message>
</context>
<context>
    <name>SettingsPanel</name>
    <message>
        <location filename="../../ui/qml/settings/SettingsPanel.qml" line="+45"/>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+38"/>
        <source>Models</source>
        <translation>Modelle</translation>
    </message>
    <message>
        <location line="-38"/>
        <location line="+38"/>
        <source>Generation</source>
        <translation>Generierung</translation>
    </message>
    <message>
        <location line="-38"/>
        <location line="+38"/>
        <source>Hardware</source>
        <translation>Hardware</translation>
    </message>
    <message>
        <location line="-38"/>
        <location line="+38"/>
        <source>Appearance</source>
        <translation>Darstellung</translation>
    </message>
    <message>
        <location line="-38"/>
        <location line="+38"/>
        <source>Privacy</source>
        <translation>Datenschutz</translation>
    </message>
    <message>
        <location line="-30"/>
        <source>%1 settings</source>
        <translation>Einstellungen: %1</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Tiefsee %1</source>
        <translation>Tiefsee %1</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Close (Esc)</source>
        <translation>Schließen (Esc)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close settings</source>
        <translation>Einstellungen schließen</translation>
    </message>
</context>
<context>
    <name>Sidebar</name>
    <message>
        <location filename="../../ui/qml/components/Sidebar.qml" line="+40"/>
        <source>New chat (Ctrl+N)</source>
        <translation>Neuer Chat (Strg+N)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New chat</source>
        <translation>Neuer Chat</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Search conversations (Ctrl+K)</source>
        <translation>Gespräche durchsuchen (Strg+K)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Search conversations</source>
        <translation>Gespräche durchsuchen</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Conversations</source>
        <translation>Gespräche</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Pinned</source>
        <translation>Angeheftet</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Recent</source>
        <translation>Zuletzt</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>No conversation matches “%1”.</source>
        <translation>Kein Gespräch passt zu „%1“.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Your conversations will appear here.</source>
        <translation>Deine Gespräche erscheinen hier.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open settings (Ctrl+,)</source>
        <translation>Einstellungen öffnen (Strg+,)</translation>
    </message>
</context>
<context>
    <name>StatusBanner</name>
    <message>
        <location filename="../../ui/qml/components/StatusBanner.qml" line="+41"/>
        <source>Loading %1 (%2)…</source>
        <translation>%1 wird geladen (%2)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reading your conversation… %1 of %2 tokens</source>
        <translation>Gespräch wird gelesen… %1 von %2 Tokens</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Dismiss message</source>
        <translation>Meldung schließen</translation>
    </message>
</context>
<context>
    <name>WelcomeView</name>
    <message>
        <location filename="../../ui/qml/components/WelcomeView.qml" line="+21"/>
        <source>fits</source>
        <translation>passt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>fits with a smaller context (%1)</source>
        <translation>passt mit kleinerem Kontext (%1)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>too large</source>
        <translation>zu groß</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Welcome to Tiefsee</source>
        <translation>Willkommen bei Tiefsee</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Chat with DeepSeek-R1 on your own graphics card. It thinks before it answers, and nothing you write leaves this computer. To start, Tiefsee needs a model.</source>
        <translation>Chatte mit DeepSeek-R1 auf deiner eigenen Grafikkarte. Es denkt nach, bevor es antwortet, und nichts, was du schreibst, verlässt diesen Computer. Zum Start braucht Tiefsee ein Modell.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Recommended for %1</source>
        <translation>Empfohlen für %1</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>%1 download · %2</source>
        <translation>%1 Download · %2</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Looking at your GPU to pick a model…</source>
        <translation>Deine GPU wird geprüft, um ein Modell auszuwählen…</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Download progress</source>
        <translation>Download-Fortschritt</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Download</source>
        <translation>Herunterladen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Download %1</source>
        <translation>%1 herunterladen</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>I already have a GGUF file</source>
        <translation>Ich habe schon eine GGUF-Datei</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Choose a file…</source>
        <translation>Datei wählen…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Import a GGUF model file</source>
        <translation>Eine GGUF-Modelldatei importieren</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>See all models</source>
        <translation>Alle Modelle ansehen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open the models settings</source>
        <translation>Die Modell-Einstellungen öffnen</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>%1 (found in %2)</source>
        <translation>%1 (gefunden in %2)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Use</source>
        <translation>Verwenden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Use %1</source>
        <translation>%1 verwenden</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Everything stays on this computer: the only network traffic is the download you start.</source>
        <translation>Alles bleibt auf diesem Computer: Der einzige Netzwerkverkehr ist der Download, den du startest.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Import a GGUF model</source>
        <translation>Ein GGUF-Modell importieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>GGUF models (*.gguf)</source>
        <translation>GGUF-Modelle (*.gguf)</translation>
    </message>
</context>
<context>
    <name>tiefsee::bridge::ChatController</name>
    <message numerus="yes">
        <location filename="../../app/bridge/chat_controller.cpp" line="+75"/>
        <location line="+420"/>
        <source>The conversation no longer fits the context: the model does not see the %n oldest message(s) any more.</source>
        <translation>
            <numerusform>Das Gespräch passt nicht mehr in den Kontext: Das Modell sieht die älteste Nachricht nicht mehr.</numerusform>
            <numerusform>Das Gespräch passt nicht mehr in den Kontext: Das Modell sieht die %n ältesten Nachrichten nicht mehr.</numerusform>
        </translation>
    </message>
    <message>
        <location line="-385"/>
        <source>Chatting is not available: the conversation store or the inference engine could not be started.</source>
        <translation>Chatten ist nicht möglich: Der Gesprächsspeicher oder die Inferenz-Engine konnte nicht gestartet werden.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>No model is loaded. Download or import a DeepSeek-R1 model first.</source>
        <translation>Es ist kein Modell geladen. Lade zuerst ein DeepSeek-R1-Modell herunter oder importiere eines.</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+6"/>
        <location line="+11"/>
        <source>Open models</source>
        <translation>Modelle öffnen</translation>
    </message>
    <message>
        <location line="-13"/>
        <source>The model is too large for this GPU&apos;s memory (%1). Pick a smaller model or quant, or a shorter context length.</source>
        <translation>Das Modell ist zu groß für den Speicher dieser GPU (%1). Wähle ein kleineres Modell oder eine kleinere Quantisierung oder eine kürzere Kontextlänge.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>No usable Vulkan device was found (%1). Install or update the graphics driver, or choose another device.</source>
        <translation>Es wurde kein nutzbares Vulkan-Gerät gefunden (%1). Installiere oder aktualisiere den Grafiktreiber oder wähle ein anderes Gerät.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open hardware</source>
        <translation>Hardware öffnen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>This model file can&apos;t be used: %1 Choose another model.</source>
        <translation>Diese Modelldatei kann nicht verwendet werden: %1 Wähle ein anderes Modell.</translation>
    </message>
    <message>
        <location line="+365"/>
        <source>The context is nearly full: older turns will soon be left out. Start a new chat for a new topic.</source>
        <translation>Der Kontext ist fast voll: Ältere Runden fallen bald weg. Beginne für ein neues Thema einen neuen Chat.</translation>
    </message>
</context>
<context>
    <name>tiefsee::bridge::ModelVerifier</name>
    <message>
        <location filename="../../app/bridge/model_verifier.cpp" line="+45"/>
        <source>Checking the file…</source>
        <translation>Die Datei wird geprüft …</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+16"/>
        <source>Could not read %1: %2</source>
        <translation>%1 konnte nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location line="-6"/>
        <source>Verification cancelled.</source>
        <translation>Prüfung abgebrochen.</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>No checksum is on record for this file. Its sha256 is %1.</source>
        <translation>Für diese Datei ist keine Prüfsumme hinterlegt. Ihre SHA-256 ist %1.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The file is intact: its sha256 matches the published one.</source>
        <translation>Die Datei ist in Ordnung: Ihre SHA-256 stimmt mit der veröffentlichten überein.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The file is damaged or not the published one: its sha256 does not match. Delete it and download it again.</source>
        <translation>Die Datei ist beschädigt oder nicht die veröffentlichte: Ihre SHA-256 stimmt nicht überein. Lösche sie und lade sie erneut herunter.</translation>
    </message>
</context>
<context>
    <name>tiefsee::ui::App</name>
    <message>
        <location filename="../../ui/src/app_root.cpp" line="+51"/>
        <source>The conversation database was damaged. It was moved to %1 and a new one was started.</source>
        <translation>Die Gesprächsdatenbank war beschädigt. Sie wurde nach %1 verschoben und eine neue wurde angelegt.</translation>
    </message>
</context>
<context>
    <name>tiefsee::ui::ConversationList</name>
    <message>
        <location filename="../../ui/src/conversation_list.cpp" line="+38"/>
        <source>Conversation history is not available: the database could not be opened.</source>
        <translation>Der Gesprächsverlauf ist nicht verfügbar: Die Datenbank konnte nicht geöffnet werden.</translation>
    </message>
    <message>
        <location line="+74"/>
        <source>Could not write %1: %2</source>
        <translation>%1 konnte nicht geschrieben werden: %2</translation>
    </message>
</context>
<context>
    <name>tiefsee::ui::DeviceList</name>
    <message>
        <location filename="../../ui/src/device_list.cpp" line="+44"/>
        <source>No Vulkan driver was found (%1). Install the graphics driver&apos;s Vulkan support (on Linux: mesa-vulkan-drivers or the vendor driver).</source>
        <translation>Es wurde kein Vulkan-Treiber gefunden (%1). Installiere die Vulkan-Unterstützung des Grafiktreibers (unter Linux: mesa-vulkan-drivers oder den Herstellertreiber).</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>fp16</source>
        <translation>fp16</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>int8 dot product</source>
        <translation>int8-Skalarprodukt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>cooperative matrix</source>
        <translation>Cooperative Matrix</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>subgroup %1</source>
        <translation>Subgroup %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 memory, %2 usable</source>
        <translation>%1 Speicher, %2 nutzbar</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>No Vulkan device was found. Install or update the graphics driver.</source>
        <translation>Es wurde kein Vulkan-Gerät gefunden. Installiere oder aktualisiere den Grafiktreiber.</translation>
    </message>
</context>
<context>
    <name>tiefsee::ui::ModelLibrary</name>
    <message>
        <location filename="../../ui/src/model_library.cpp" line="+35"/>
        <source>your GPU</source>
        <translation>deine GPU</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Hugging Face can&apos;t be reached right now (%1). Sizes shown are estimates; downloads work once you are online.</source>
        <translation>Hugging Face ist gerade nicht erreichbar (%1). Die angezeigten Größen sind Schätzungen; Downloads funktionieren, sobald du online bist.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The download failed: %1 Check the network connection and the free disk space, then try again.</source>
        <translation>Der Download ist fehlgeschlagen: %1 Prüfe die Netzwerkverbindung und den freien Speicherplatz und versuche es erneut.</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>%1 (%2 usable)</source>
        <translation>%1 (%2 nutzbar)</translation>
    </message>
    <message>
        <location line="+65"/>
        <source>%1 was imported, but Tiefsee can&apos;t run it: %2</source>
        <translation>%1 wurde importiert, aber Tiefsee kann es nicht ausführen: %2</translation>
    </message>
    <message>
        <location line="+70"/>
        <source>Could not delete %1.</source>
        <translation>%1 konnte nicht gelöscht werden.</translation>
    </message>
</context>
</TS>
