#pragma once
// The app's answer when a PostgreSQL server wants a password (registered with
// Database::setServerPasswordProvider by main): one given earlier in this
// session, else the system keychain's, else ServerPasswordDialog asked on the
// UI thread (the opening thread waits for it). A password the user gives is
// kept in memory for the session, so that every connection of the window
// (the job runner's readers, the watcher, alerts, mailboxes, the receiver)
// logs in without asking again; "remember" also puts it in the keychain.
#include <QString>

namespace ed::serverpasswords {

void install();
// Known for url's account (user@host:port) for the rest of the session.
void remember(const QString &url, const QString &password);
// Forgotten for this session (the server refused it).
void forget(const QString &url);
// Takes a password written in `url` (user:secret@, password=) out of it into
// this session's memory: the URL shown, listed and opened is then without it.
QString takePasswordFrom(const QString &url);

} // namespace ed::serverpasswords
