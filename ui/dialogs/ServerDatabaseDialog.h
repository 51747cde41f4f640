#pragma once
// File › Open Server Database…: a PostgreSQL database as host, port, database,
// user and TLS (sslmode, the CA file), or a pasted postgresql:// URL. Gives the
// URL to open; a password is never part of it (the keychain, PGPASSWORD,
// ~/.pgpass or the password dialog answer for it, window/ServerPasswords.h).
#include <QDialog>

class QComboBox;
class QLineEdit;
class QSpinBox;

namespace ed {

class ServerDatabaseDialog : public QDialog {
    Q_OBJECT
public:
    struct Fields {
        QString host, database, user, sslMode, caFile;
        int port = 5432;
    };
    // postgresql://USER@HOST:PORT/DB?sslmode=…&sslrootcert=…, each part
    // percent-encoded (an IPv6 host in brackets); empty parts left out.
    static QString urlFor(const Fields &f);

    explicit ServerDatabaseDialog(QWidget *parent = nullptr);
    // The pasted URL (without any password) when one is given, else the fields'.
    QString url() const;
    void setFields(const Fields &f);
    void setPastedUrl(const QString &url);

private:
    void updateOk();
    QLineEdit *m_host, *m_database, *m_user, *m_caFile, *m_pasted;
    QSpinBox *m_port;
    QComboBox *m_sslMode;
};

} // namespace ed
