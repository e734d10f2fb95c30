/* The plain pages: home, what you need (a personal checklist), what is covered,
 * and the health check. */
#include "web/routes.h"

#include "catalog/catalog.h"
#include "store/store.h"
#include "web/api_common.h"
#include "web/enrollment.h"
#include "web/page.h"

#include <jansson.h>
#include <microhttpd.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct page_text home_texts[] = {
    {"title", {"Afiliación gratuita a IMSS-Bienestar", "Free enrollment in IMSS-Bienestar"}},
    {"heading", {"Afíliese gratis a IMSS-Bienestar", "Enroll for free in IMSS-Bienestar"}},
    {"lead",
     {"Si no tiene seguridad social (IMSS, ISSSTE u otra), tiene derecho a atención médica "
      "gratuita. Regístrese aquí con su CURP, desde su teléfono, a cualquier hora.",
      "If you have no social security (IMSS, ISSSTE or other), you have the right to free "
      "health care. Register here with your CURP, from your phone, at any time."}},
    {"start", {"Iniciar mi registro", "Start my registration"}},
    {"before_title", {"Antes de empezar", "Before you start"}},
    {"before",
     {"Tenga a la mano su CURP, un correo electrónico, su domicilio con código postal y una "
      "identificación oficial para fotografiarla por ambos lados.",
      "Have your CURP, an email address, your address with postal code and an official ID to "
      "photograph on both sides."}},
    {"requirements_link",
     {"Vea la lista completa de lo que necesita", "See the full list of what you need"}},
    {"covered_title", {"Qué incluye", "What it includes"}},
    {"covered",
     {"Consultas, estudios, medicamentos y hospitalización sin costo en el primer y segundo "
      "nivel de atención; urgencias para todas las personas.",
      "Visits, tests, medicines and hospital care at no cost at the first and second levels of "
      "care; emergency care for everyone."}},
    {"coverage_link", {"Qué cubre y dónde atenderse", "What is covered and where to go"}},
    {"states_title",
     {"Entidades donde opera IMSS-Bienestar", "States where IMSS-Bienestar operates"}},
    {"letters_title", {"Carta de No Afiliación", "Letter of non-affiliation"}},
    {"letters",
     {"¿Le piden una constancia de que no está afiliado al IMSS o al ISSSTE? Pídala aquí con su "
      "CURP y un correo: es gratuita y no hay que imprimirla ni sellarla.",
      "Asked for proof that you are not affiliated to IMSS or ISSSTE? Ask for it here with your "
      "CURP and an email: it is free and need not be printed or stamped."}},
    {"letters_link", {"Pedir mi Carta de No Afiliación", "Ask for my letter of non-affiliation"}},
    {"verify_link",
     {"Personal de las unidades: verificar una credencial o una carta",
      "Health unit staff: verify a credential or a letter"}},
};

int page_home(const struct web_request *req)
{
    struct page p;
    page_init(&p, req, home_texts, N(home_texts), "title");
    long today = api_today_key(req);
    size_t n;
    const struct catalog_state *states = catalog_states(req->app->catalog, &n);
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        if (catalog_state_participating(&states[i], (int)(today / 10000), (int)(today / 100 % 100),
                                        (int)(today % 100)))
            json_array_append_new(list, json_string(states[i].name));
    json_object_set_new(p.view, "states", list);
    return page_send(&p, "page/home", MHD_HTTP_OK);
}

static const struct page_text requirement_texts[] = {
    {"title", {"Qué necesita para registrarse", "What you need to register"}},
    {"heading", {"Qué necesita para registrarse", "What you need to register"}},
    {"lead",
     {"Conteste dos preguntas y le mostramos la lista exacta, para que no le falte nada.",
      "Answer two questions and we show you the exact list, so nothing is missing."}},
    {"q_nationality", {"¿Cuál es su nacionalidad?", "What is your nationality?"}},
    {"mexican", {"Mexicana", "Mexican"}},
    {"foreign", {"Extranjera", "Foreign"}},
    {"q_curp", {"¿Tiene CURP?", "Do you have a CURP?"}},
    {"yes", {"Sí", "Yes"}},
    {"no", {"No", "No"}},
    {"show", {"Ver mi lista", "Show my list"}},
    {"list_title", {"Su lista", "Your list"}},
    {"start", {"Iniciar mi registro", "Start my registration"}},
    {"i_curp", {"Su CURP (18 caracteres).", "Your CURP (18 characters)."}},
    {"i_get_curp",
     {"Primero obtenga su CURP: es gratuita, se tramita en gob.mx/curp o en el Registro Civil.",
      "First get your CURP: it is free, at gob.mx/curp or at the Civil Registry."}},
    {"i_email",
     {"Un correo electrónico que pueda abrir ahora.", "An email address you can open now."}},
    {"i_phone", {"Su número de celular (opcional).", "Your mobile number (optional)."}},
    {"i_address",
     {"Su domicilio: calle, número y código postal (está en su recibo de luz o agua).",
      "Your address: street, number and postal code (it is on your power or water bill)."}},
    {"i_id_mx",
     {"Su credencial para votar (INE) u otra identificación oficial, para fotografiar el frente "
      "y el reverso.",
      "Your voter card (INE) or another official ID, to photograph front and back."}},
    {"i_id_foreign",
     {"Su pasaporte, tarjeta de residencia del INM o FMM, para fotografiarla por ambos lados.",
      "Your passport, INM residence card or FMM, to photograph on both sides."}},
    {"i_status",
     {"Un documento de su situación migratoria regular (tarjeta de residente, FMM, constancia de "
      "regularización o de solicitud de refugio).",
      "A document of your regular migration status (residence card, FMM, regularisation or "
      "refugee application record)."}},
    {"i_face",
     {"Su teléfono con cámara, para una foto de su rostro.",
      "Your phone with a camera, for a photo of your face."}},
    {"i_free",
     {"Nada más: no necesita imprimir, ni acudir a una oficina, ni pagar.",
      "Nothing else: no printing, no office visit, no payment."}},
};

int page_requirements(const struct web_request *req)
{
    struct page p;
    page_init(&p, req, requirement_texts, N(requirement_texts), "title");
    const char *nat = web_query(req, "nacionalidad"), *curp = web_query(req, "curp");
    bool foreign = nat && strcmp(nat, "extranjera") == 0;
    bool no_curp = curp && strcmp(curp, "no") == 0;
    json_t *items = json_array();
#define ITEM(key)                                                                                  \
    json_array_append_new(                                                                         \
        items, json_string(page_text(&p, requirement_texts, N(requirement_texts), key)))
    ITEM(no_curp ? "i_get_curp" : "i_curp");
    ITEM("i_email");
    ITEM("i_phone");
    ITEM("i_address");
    ITEM(foreign ? "i_id_foreign" : "i_id_mx");
    if (foreign)
        ITEM("i_status");
    ITEM("i_face");
    ITEM("i_free");
#undef ITEM
    json_object_set_new(p.view, "items", items);
    json_object_set_new(p.view, "mexican", json_boolean(!foreign));
    json_object_set_new(p.view, "foreign", json_boolean(foreign));
    json_object_set_new(p.view, "has_curp", json_boolean(!no_curp));
    json_object_set_new(p.view, "no_curp", json_boolean(no_curp));
    return page_send(&p, "page/requirements", MHD_HTTP_OK);
}

static const struct page_text coverage_texts[] = {
    {"title", {"Qué cubre IMSS-Bienestar", "What IMSS-Bienestar covers"}},
    {"heading", {"Qué cubre IMSS-Bienestar", "What IMSS-Bienestar covers"}},
    {"start", {"Iniciar mi registro", "Start my registration"}},
    {"s1_title", {"Primer nivel: su centro de salud", "Level 1: your health center"}},
    {"s1",
     {"Consultas de medicina general, vacunas, control del embarazo, detección de enfermedades y "
      "medicamentos, sin costo. Al registrarse se le asigna el centro de salud más cercano a su "
      "domicilio: ahí empieza siempre su atención.",
      "General medical visits, vaccines, pregnancy care, screening and medicines, at no cost. "
      "When you register you are assigned the health center nearest your home: your care always "
      "starts there."}},
    {"s2_title", {"Segundo nivel: hospitales generales", "Level 2: general hospitals"}},
    {"s2",
     {"Especialidades, cirugías y hospitalización, sin costo, cuando su centro de salud le "
      "refiere.",
      "Specialists, surgery and hospital stays, at no cost, when your health center refers "
      "you."}},
    {"s3_title", {"Tercer nivel: alta especialidad", "Level 3: high specialty"}},
    {"s3",
     {"Hospitales de alta especialidad, por referencia. Puede haber cuotas de recuperación según "
      "su estudio socioeconómico; muchas personas quedan exentas.",
      "High-specialty hospitals, by referral. There may be fees according to your "
      "socioeconomic study; many people are exempt."}},
    {"s4_title", {"Urgencias: para todas las personas", "Emergencies: for everyone"}},
    {"s4",
     {"En una urgencia, cualquier unidad de IMSS-Bienestar le atiende aunque no esté registrado. "
      "Después le ofrecemos registrarse.",
      "In an emergency, any IMSS-Bienestar unit will care for you even if you are not "
      "registered. Afterwards we offer you registration."}},
};

int page_coverage(const struct web_request *req)
{
    struct page p;
    page_init(&p, req, coverage_texts, N(coverage_texts), "title");
    json_t *sections = json_array();
    static const char *const keys[][2] = {
        {"s1_title", "s1"}, {"s2_title", "s2"}, {"s3_title", "s3"}, {"s4_title", "s4"}};
    for (size_t i = 0; i < N(keys); i++)
        json_array_append_new(
            sections,
            json_pack("{s:s, s:s}", "title",
                      page_text(&p, coverage_texts, N(coverage_texts), keys[i][0]), "text",
                      page_text(&p, coverage_texts, N(coverage_texts), keys[i][1])));
    json_object_set_new(p.view, "sections", sections);
    return page_send(&p, "page/coverage", MHD_HTTP_OK);
}

static const struct page_text error_texts[] = {
    {"title", {"Página no disponible", "Page not available"}},
    {"home", {"Ir al inicio", "Go to the start page"}},
};

static int refusal_page(const struct web_request *req, unsigned status, const char *message)
{
    struct page p;
    page_init(&p, req, error_texts, N(error_texts), "title");
    json_object_set_new(p.view, "heading",
                        json_string(page_text(&p, error_texts, N(error_texts), "title")));
    json_object_set_new(p.view, "message", json_string(message));
    return page_send(&p, "page/error", status);
}

int page_refusal(const struct web_request *req, unsigned status, enum i18n_msg msg)
{
    return refusal_page(req, status, i18n(req->lang, msg));
}

int page_refused(const struct web_request *req, const struct refusal *why)
{
    return refusal_page(req, why->status, why->message);
}

int page_healthz(const struct web_request *req)
{
    if (store_ping(req->app->store) != 0)
        return web_reply(req, MHD_HTTP_SERVICE_UNAVAILABLE, "text/plain; charset=utf-8",
                         "database unreachable\n", 21);
    return web_reply(req, MHD_HTTP_OK, "text/plain; charset=utf-8", "ok\n", 3);
}
