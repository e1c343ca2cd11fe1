#pragma once
// Probing on open (opening a series never blocks): when a run opens whose
// checkpoints with weights lack results of the default probe kinds, the
// ProbeJob runs `chrysalis-cli probe` in the background (the status bar shows it), the
// checkpoint under the cursor first, then coarse-to-fine; results land in the
// timelines as they are written (the series watcher). A run opened while a
// job runs waits for it. A checkable action, kept in the settings and on by
// default, turns it off. A complete run, one without weights, or no engine
// starts nothing (the last says so once in the status bar).
#include "data/run_data.h"

#include <QList>

#include <QObject>
#include <functional>

class QAction;

namespace chrysalis::ui {

class CursorContext;
class ProbeJob;

/// Checkpoints with weights that lack a result of one of `kinds`, ascending,
/// as far as the GUI has read the run.
QVector<qint64> stepsMissingResults(const RunData& run, const QStringList& kinds);

class AutoProbe : public QObject {
  Q_OBJECT
public:
  AutoProbe(ProbeJob& job, CursorContext& cursor, QObject* parent = nullptr);
  /// Runs this says yes to are left alone (the window: a run its Training
  /// dock is writing, where probing would slow training).
  void setLeaveAlone(std::function<bool(const QString& dir)> leaveAlone) {
    m_leaveAlone = std::move(leaveAlone);
  }

  /// "Probe Missing Results Automatically" (checkable, persisted).
  QAction* action() const { return m_action; }
  bool isEnabled() const;
  void setEnabled(bool on);

  /// A run was opened. @param probeSet its probe set file, empty when unknown.
  /// @returns true when a probe job started or was queued for it.
  bool runOpened(const RunData& run, const QString& probeSet);
  /// The same whether or not the setting is on (e.g. checkpoints a densify
  /// adds: the user asked for them to be measured).
  bool probeMissing(const RunData& run, const QString& probeSet);
  /// Series waiting for the running job to end, in order.
  QStringList queued() const;

Q_SIGNALS:
  /// Something to say in the status bar.
  void message(const QString& text);

private:
  struct Pending {
    QString series;
    QString probeSet;
  };
  void startNext();

  ProbeJob& m_status;
  std::function<bool(const QString&)> m_leaveAlone;
  CursorContext& m_cursor;
  QAction* m_action;
  QList<Pending> m_queue;
  bool m_toldNoEngine = false; // one status-bar message per session, not one per run
};

} // namespace chrysalis::ui
