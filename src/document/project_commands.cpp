#include "document/project_commands.h"

#include <QCoreApplication>

#include <utility>

namespace densito {
namespace {

constexpr const char* kContext = "densito::ProjectCommands";

/// The command's text for the Edit menu ("Undo Move Lane"), translated; the literals are
/// marked with QT_TRANSLATE_NOOP so that lupdate finds them.
QString commandText(const char* text) {
    return QCoreApplication::translate(kContext, text);
}

} // namespace

SetImageSettingsCommand::SetImageSettingsCommand(CommandTarget& target, int image,
                                                 AnalysisSettings settings)
    : QUndoCommand(
          commandText(QT_TRANSLATE_NOOP("densito::ProjectCommands", "Change Analysis Settings"))),
      m_target(target), m_image(image), m_old(target.settings(image)), m_new(std::move(settings)) {}

void SetImageSettingsCommand::undo() {
    m_target.settings(m_image) = m_old;
    m_target.imageEdited(m_image);
}

void SetImageSettingsCommand::redo() {
    m_target.settings(m_image) = m_new;
    m_target.imageEdited(m_image);
}

AddImagesCommand::AddImagesCommand(CommandTarget& target, std::vector<ImageEntry> entries)
    : QUndoCommand(entries.size() == 1
                       ? commandText(QT_TRANSLATE_NOOP("densito::ProjectCommands", "Add Image"))
                       : commandText(QT_TRANSLATE_NOOP("densito::ProjectCommands", "Add Images"))),
      m_target(target), m_count(static_cast<int>(entries.size())), m_entries(std::move(entries)) {
    for (const ImageEntry& entry : m_entries) {
        if (!m_names.empty()) {
            m_names += "; ";
        }
        m_names += entry.project.path.filename().string();
    }
}

void AddImagesCommand::undo() {
    m_entries = m_target.takeLastImages(m_count);
}

void AddImagesCommand::redo() {
    m_target.appendImages(std::move(m_entries));
    m_entries.clear();
}

SetLayoutCommand::SetLayoutCommand(CommandTarget& target, std::optional<ProjectLayout> layout)
    : QUndoCommand(commandText(QT_TRANSLATE_NOOP("densito::ProjectCommands", "Change Layout"))),
      m_target(target), m_old(target.layout()), m_new(std::move(layout)) {}

void SetLayoutCommand::undo() {
    m_target.layout() = m_old;
    m_target.layoutEdited();
}

void SetLayoutCommand::redo() {
    m_target.layout() = m_new;
    m_target.layoutEdited();
}

EditValues SetImageSettingsCommand::editValues() const {
    return {m_image, describeSettings(m_old), describeSettings(m_new)};
}

EditValues AddImagesCommand::editValues() const {
    return {-1, {}, m_names};
}

EditValues SetLayoutCommand::editValues() const {
    return {-1, describeLayout(m_old), describeLayout(m_new)};
}

} // namespace densito
