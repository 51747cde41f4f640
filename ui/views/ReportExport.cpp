#include "views/ReportExport.h"

#include "send/DjangoRenderer.h"
#include "store/ReportStore.h"

#include <QJsonDocument>
#include <QSaveFile>

namespace ed {

Result<int> exportReports(Database &db, const std::vector<int64_t> &ids, const QString &path, ExportFormat format)
{
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly))
        return Error{QStringLiteral("%1: %2").arg(path, out.errorString())};
    ReportStore store(db);
    int n = 0;
    for (int64_t id : ids) {
        auto d = store.loadReport(id);
        if (!d)
            return d.failure();
        if (format == ExportFormat::JsonLines) {
            out.write(QJsonDocument(d->record).toJson(QJsonDocument::Compact));
            out.write("\n");
        } else {
            if (n > 0)
                out.write(QByteArray(79, '-') + "\n"); // as Django's file e-mail backend separates messages
            out.write(djangoAdminMailText(d->report).toUtf8()); // the body of Django's error e-mail
        }
        ++n;
    }
    if (!out.commit())
        return Error{QStringLiteral("%1: %2").arg(path, out.errorString())};
    return n;
}

} // namespace ed
