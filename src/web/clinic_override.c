/* clinic_override: a unit administrator moves a person's home clinic, with a reason. */
#include "web/clinic_override.h"

#include "core/emergency_intake.h"
#include "web/home_clinic.h"

#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

#define REASON_BYTES_MAX STORE_TEXT_MAX

int clinic_override(const struct web_request *req, const struct staff_member *who, const char *key,
                    const char *clues, const char *reason, struct store_registration *reg,
                    struct refusal *why)
{
    char clinic[STORE_CLUES_LEN + 1], err[256];
    char note[4 * 300 + 1];
    struct staff_target anywhere = {who->scope.unit, who->scope.state};
    if (!staff_may(&who->scope, STAFF_CLINIC_OVERRIDE, &anywhere))
        return refusal_text(why, MHD_HTTP_FORBIDDEN, "out_of_scope", NULL,
                            req->lang == I18N_EN
                                ? "Only the unit administrator changes a home clinic."
                                : "Solo la administración de la unidad cambia la unidad de "
                                  "adscripción.");
    const struct catalog_facility *f;
    if (home_clinic_level1(req, clues, &f, why) != 0)
        return -1;
    if (!emergency_reason_clean(reason, note, sizeof note) || strlen(note) > REASON_BYTES_MAX)
        return refusal_text(why, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid_reason", "reason",
                            req->lang == I18N_EN
                                ? "Write the reason for the change: 10 to 300 characters."
                                : "Escriba el motivo del cambio: de 10 a 300 caracteres.");
    /* The read of the person is a lookup, audited as one, with the lookup's
     * refusals; a unit administrator looks up the people of the unit. */
    if (staff_read_person(req, who, key, STAFF_PERSON_LOOKUP, reg, clinic, why) != 0)
        return -1;
    if (strcmp(clinic, f->clues) == 0)
        return refusal_text(why, MHD_HTTP_CONFLICT, "same_clinic", "clues",
                            req->lang == I18N_EN
                                ? "That unit is the person's home clinic already."
                                : "Esa unidad ya es la unidad de adscripción de la persona.");
    struct store_audit_record rec = {.at = req->app->clock(), .staff = who->account.id};
    snprintf(rec.role, sizeof rec.role, "%s", who->account.role);
    snprintf(rec.unit, sizeof rec.unit, "%s", who->account.unit);
    snprintf(rec.action, sizeof rec.action, "%s", staff_action_name(STAFF_CLINIC_OVERRIDE));
    snprintf(rec.subject, sizeof rec.subject, "%s", reg->curp);
    web_client_address(req, rec.client, sizeof rec.client);
    char staff[32];
    snprintf(staff, sizeof staff, "staff:%lld", (long long)who->account.id);
    int stored = store_home_clinic_override(req->app->store, reg->id, f->clues, staff, note, rec.at,
                                            &rec, err, sizeof err);
    if (stored < 0)
        return refusal_internal(req, why, err);
    if (stored == 0)
        return refusal_set(req, why, MHD_HTTP_CONFLICT, "not_active", NULL, MSG_CLINIC_NOT_ACTIVE);
    /* The credential names the clinic. As after a person's request, the one in
     * force now carries older data than the assignment, so the next look at the
     * credential issues a new one and revokes it (issuance/issuance.h). */
    return 0;
}
