#pragma once

#include "core/io/project_file.h"
#include "core/pipeline/image_analysis.h"
#include "document/command_target.h"
#include "document/edit_description.h"

#include <QUndoCommand>

#include <optional>
#include <string>
#include <vector>

namespace densito {

/// Changes one image's settings where no detection is needed (the background method): the
/// image is measured again with its geometry.
class SetImageSettingsCommand : public QUndoCommand, public DescribesEdit {
public:
    SetImageSettingsCommand(CommandTarget& target, int image, AnalysisSettings settings);

    void undo() override;
    void redo() override;
    EditValues editValues() const override;

private:
    CommandTarget& m_target;
    int m_image;
    AnalysisSettings m_old;
    AnalysisSettings m_new;
};

/// Appends images that were loaded and analysed; undo takes them out again (keeping their
/// pixels and measurement for redo).
class AddImagesCommand : public QUndoCommand, public DescribesEdit {
public:
    AddImagesCommand(CommandTarget& target, std::vector<ImageEntry> entries);

    void undo() override;
    void redo() override;
    EditValues editValues() const override;

private:
    CommandTarget& m_target;
    int m_count;
    std::vector<ImageEntry> m_entries; ///< held while undone
    std::string m_names;               ///< the images' file names, for the history
};

/// Replaces the experiment layout; the experiment is computed again.
class SetLayoutCommand : public QUndoCommand, public DescribesEdit {
public:
    SetLayoutCommand(CommandTarget& target, std::optional<ProjectLayout> layout);

    void undo() override;
    void redo() override;
    EditValues editValues() const override;

private:
    CommandTarget& m_target;
    std::optional<ProjectLayout> m_old;
    std::optional<ProjectLayout> m_new;
};

} // namespace densito
