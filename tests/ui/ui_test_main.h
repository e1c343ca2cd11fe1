#pragma once
// Shared main for GUI tests (house-style §12): offscreen unless told
// otherwise (so tests also run by hand without a display, and under xvfb-run
// when QT_QPA_PLATFORM=xcb is set), and settings in a throwaway folder so a
// test never reads or writes the user's.
#include <QApplication>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

#define CHRYSALIS_QTEST_MAIN(TestClass)                                                            \
  int main(int argc, char** argv) {                                                                \
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");   \
    QApplication app(argc, argv);                                                                  \
    QApplication::setOrganizationName(QStringLiteral("chrysalis-tests"));                          \
    QApplication::setApplicationName(QStringLiteral(#TestClass));                                  \
    QTemporaryDir settingsDir;                                                                     \
    QSettings::setDefaultFormat(QSettings::IniFormat);                                             \
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir.path());            \
    TestClass test;                                                                                \
    return QTest::qExec(&test, argc, argv);                                                        \
  }
