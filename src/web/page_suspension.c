/*
 * /personal/suspension: a unit administrator reviews a suspension made by the
 * cross-check (web/suspension_review.h). The CURP or folio is posted (never in a
 * URL); the person's page shows when and by which roll the enrollment was
 * suspended, the reviews so far, and the form to lift or confirm it with a
 * reason. The session and CSRF token are the other staff pages' (page_staff.c).
 */
#include "web/routes.h"

#include "web/form.h"
#include "web/page.h"
#include "web/page_staff.h"
#include "web/suspension_review.h"

#include <jansson.h>
#include <microhttpd.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct page_text texts[] = {
    {"title", {"Revisar una suspensión", "Review a suspension"}},
    {"heading", {"Revisar una suspensión", "Review a suspension"}},
    {"lead",
     {"Cuando una persona dice que su suspensión es un error (el padrón está atrasado, es "
      "otra persona con el mismo nombre, dejó ese empleo), revise el caso y decida.",
      "When a person says their suspension is a mistake (the roll is stale, a namesake, they "
      "left that job), review the case and decide."}},
    {"folio", {"Folio", "Folio"}},
    {"status", {"Estado", "Status"}},
    {"suspended", {"Suspendida", "Suspended"}},
    {"active", {"Afiliación activa, sin suspensión", "Active enrollment, not suspended"}},
    {"suspended_at", {"Suspendida el (UTC)", "Suspended on (UTC)"}},
    {"institution", {"Padrón que la registra", "Roll that lists the person"}},
    {"roll_imported_at", {"Padrón importado el (UTC)", "Roll imported on (UTC)"}},
    {"reviews", {"Revisiones anteriores", "Earlier reviews"}},
    {"review_at", {"Cuándo (UTC)", "When (UTC)"}},
    {"review_decision", {"Decisión", "Decision"}},
    {"review_reason", {"Motivo", "Reason"}},
    {"lift", {"Levantar la suspensión", "Lift the suspension"}},
    {"confirm", {"Confirmar la suspensión", "Confirm the suspension"}},
    {"decision_legend", {"Decisión", "Decision"}},
    {"reason_label",
     {"Motivo (de 10 a 400 caracteres; queda en el historial)",
      "Reason (10 to 400 characters; kept in the history)"}},
    {"submit", {"Registrar la decisión", "Record the decision"}},
    {"lifted",
     {"La suspensión quedó levantada. La persona recibirá un correo y puede obtener su "
      "credencial de nuevo.",
      "The suspension is lifted. The person will get a mail and can get their credential "
      "again."}},
    {"confirmed", {"La suspensión quedó confirmada.", "The suspension is confirmed."}},
    {"back", {"Volver a la consulta de personas", "Back to looking people up"}},
};

static const char *const decide_fields[] = {"csrf", "person", "decision", "reason", NULL};
static const struct form_decl decide_form = {decide_fields, NULL, NULL};

/* "2026-12-03T08:31:05Z" reads "2026-12-03 08:31". */
static void readable_time(json_t *obj, const char *key)
{
    const char *t = json_string_value(json_object_get(obj, key));
    char when[17];
    if (!t || strlen(t) < 16)
        return;
    memcpy(when, t, 16);
    when[10] = ' ';
    when[16] = '\0';
    json_object_set_new(obj, key, json_string(when));
}

/* The person's case into the view: names, folio, the suspension and its reviews. */
static int case_view(struct page *p, const struct store_registration *reg)
{
    json_t *reviews = suspension_reviews_json(p->req, reg);
    if (!reviews)
        return -1;
    size_t i;
    json_t *r;
    json_array_foreach(reviews, i, r)
    {
        readable_time(r, "at");
        const char *d = json_string_value(json_object_get(r, "decision"));
        json_object_set_new(
            r, "decision",
            json_string(
                page_text(p, texts, N(texts), d && strcmp(d, "lift") == 0 ? "lift" : "confirm")));
    }
    json_t *suspension = suspension_json(p->req, reg);
    if (json_is_object(suspension)) {
        readable_time(suspension, "at");
        readable_time(suspension, "roll_imported_at");
    }
    json_t *person = json_pack("{s:s, s:s, s:o, s:o}", "curp", reg->curp, "folio", reg->folio,
                               "suspension", suspension, "reviews", reviews);
    if (json_array_size(reviews) > 0)
        json_object_set_new(person, "has_reviews", json_true());
    if (reg->names.given_names[0])
        json_object_set_new(person, "names",
                            json_pack("{s:s, s:s, s:s}", "given_names", reg->names.given_names,
                                      "first_surname", reg->names.first_surname, "second_surname",
                                      reg->names.second_surname));
    json_object_set_new(p->view, "person", person);
    return 0;
}

/* What a refused decision form had, shown again: the reason and the decision. */
struct typed {
    const char *reason, *decision;
};

/* The page: the lookup form and, when key names a person, the case (an audited
 * read); a notice or the refusal of the decision form on top. */
static int show(const struct web_request *req, const struct staff_member *who, const char *key,
                const char *notice, const struct refusal *failed, const struct typed *typed)
{
    struct page p;
    page_init(&p, req, texts, N(texts), "title");
    const char *reason = typed && typed->reason ? typed->reason : "";
    const char *decision = typed && typed->decision ? typed->decision : "";
    json_object_set_new(p.view, "reason", json_string(reason));
    if (strcmp(decision, "lift") == 0 || strcmp(decision, "confirm") == 0)
        json_object_set_new(p.view,
                            strcmp(decision, "lift") == 0 ? "lift_checked" : "confirm_checked",
                            json_true());
    const struct page_staff_lookup lookup = {"/personal/suspension", key,
                                             notice ? page_text(&p, texts, N(texts), notice) : NULL,
                                             failed, suspension_review_read};
    struct store_registration reg;
    char clinic[STORE_CLUES_LEN + 1];
    unsigned status;
    if (page_staff_lookup(&p, who, &lookup, &reg, clinic, &status) == 1 &&
        case_view(&p, &reg) != 0) {
        json_decref(p.view);
        return page_fail(req);
    }
    return page_send(&p, "page/staff_suspension", status);
}

int page_staff_suspension(const struct web_request *req)
{
    struct staff_member who;
    int ret;
    if (page_staff_member(req, &who, &ret) != 0)
        return ret;
    return show(req, &who, NULL, NULL, NULL, NULL);
}

static int lookup_posted(const struct web_request *req, const struct staff_member *who,
                         const struct form *f)
{
    return show(req, who, form_get(f, "curp", NULL), NULL, NULL, NULL);
}

int page_staff_suspension_post(const struct web_request *req)
{
    return page_staff_form(req, &page_staff_lookup_form, "curp", lookup_posted, NULL);
}

static int decision_posted(const struct web_request *req, const struct staff_member *who,
                           const struct form *f)
{
    struct store_registration reg;
    struct store_suspension_review r;
    struct refusal why;
    const char *key = form_get(f, "person", NULL);
    struct typed typed = {form_get(f, "reason", NULL), form_get(f, "decision", NULL)};
    if (suspension_review_decide(req, who, key, typed.decision, typed.reason, &reg, &r, &why) != 0)
        return show(req, who, key, NULL, &why, &typed);
    return show(req, who, key, r.decision == STORE_REVIEW_LIFT ? "lifted" : "confirmed", NULL,
                NULL);
}

int page_staff_suspension_decide(const struct web_request *req)
{
    return page_staff_form(req, &decide_form, "reason", decision_posted, NULL);
}
