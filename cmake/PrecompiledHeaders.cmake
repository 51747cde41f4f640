# Precompiled headers: the Qt and standard headers nearly every file of a target
# includes, parsed once per target (or per group of targets built alike)
# instead of once per file. Parsing them is a third to a half of a file's
# compile time (a widget test: 3.6 s of 7.7 s), and CI's 20-minute budget is
# mostly compiling. -DERRORDECK_PCH=OFF compiles without them (and so finds an
# #include a file forgot).
option(ERRORDECK_PCH "Precompile the Qt and standard headers most files include" ON)

set(ERRORDECK_PCH_CORE
  <algorithm> <cstdint> <functional> <memory> <optional> <string> <string_view> <vector>
  <QByteArray> <QDateTime> <QDir> <QFile> <QFileInfo> <QHash> <QJsonArray> <QJsonDocument>
  <QJsonObject> <QList> <QObject> <QRegularExpression> <QString> <QStringList> <QVariant>)
set(ERRORDECK_PCH_WIDGETS
  <QAction> <QApplication> <QBoxLayout> <QComboBox> <QDialog> <QDialogButtonBox> <QFormLayout>
  <QHeaderView> <QLabel> <QLineEdit> <QMenu> <QPlainTextEdit> <QPushButton> <QSplitter>
  <QStatusBar> <QTabWidget> <QTableView> <QToolButton> <QTreeView> <QWidget>)
set(ERRORDECK_PCH_TEST <QProcess> <QSignalSpy> <QTemporaryDir> <QTest> <QTimer>)

# errordeck_pch(TARGET HEADER_LIST_VARIABLES...): a precompiled header of its own.
function(errordeck_pch target)
  if(NOT ERRORDECK_PCH)
    return()
  endif()
  set(headers)
  foreach(list IN LISTS ARGN)
    list(APPEND headers ${${list}})
  endforeach()
  target_precompile_headers(${target} PRIVATE ${headers})
endfunction()

# errordeck_pch_shared(TARGET GROUP HEADER_LIST_VARIABLES...): the first target of
# GROUP compiles the header, the others reuse it. Every target of a group must
# be compiled with the same definitions and flags (clang refuses a header built
# with other macros): the tests of one folder are.
function(errordeck_pch_shared target group)
  if(NOT ERRORDECK_PCH)
    return()
  endif()
  get_property(host GLOBAL PROPERTY ERRORDECK_PCH_HOST_${group})
  if(host)
    target_precompile_headers(${target} REUSE_FROM ${host})
  else()
    errordeck_pch(${target} ${ARGN})
    set_property(GLOBAL PROPERTY ERRORDECK_PCH_HOST_${group} ${target})
  endif()
endfunction()
