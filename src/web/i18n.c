#include "web/i18n.h"

#include "core/curp.h"
#include "core/person_name.h"

#include <stdbool.h>
#include <string.h>

#include <stdio.h>

static const char *const texts[MSG_COUNT][2] = {
    [MSG_NOT_FOUND] = {"No encontramos esta página.", "This page does not exist."},
    [MSG_METHOD_NOT_ALLOWED] = {"Esta dirección no admite esa operación.",
                                "This address does not accept that operation."},
    [MSG_UNSUPPORTED_MEDIA_TYPE] = {"El tipo de contenido enviado no se admite aquí.",
                                    "The content type sent is not accepted here."},
    [MSG_BODY_TOO_LARGE] = {"Lo enviado es demasiado grande.", "What was sent is too large."},
    [MSG_LENGTH_REQUIRED] = {"Falta indicar el tamaño de lo enviado (Content-Length).",
                             "The size of the body (Content-Length) is required."},
    [MSG_INVALID_JSON] = {"El contenido no es JSON válido.", "The body is not valid JSON."},
    [MSG_NOT_AN_OBJECT] = {"Se esperaba un objeto JSON.", "A JSON object was expected."},
    [MSG_UNKNOWN_FIELD] = {"Este campo no se admite aquí.", "This field is not accepted here."},
    [MSG_FIELD_REQUIRED] = {"Este dato es obligatorio.", "This field is required."},
    [MSG_FIELD_NOT_TEXT] = {"Este dato debe ser texto.", "This field must be text."},
    [MSG_UNAUTHORIZED] = {"Falta la clave de acceso de esta solicitud o no es válida.",
                          "The access token for this application is missing or not valid."},
    [MSG_REGISTRATION_NOT_FOUND] = {"No existe una solicitud con ese identificador.",
                                    "There is no application with that identifier."},
    [MSG_ALREADY_ENROLLED] = {"Esta CURP ya está afiliada a IMSS-Bienestar. Inicie sesión o "
                              "recupere su contraseña.",
                              "This CURP is already enrolled in IMSS-Bienestar. Sign in or "
                              "recover your password."},
    [MSG_AFFILIATED_IMSS] = {"Esta CURP aparece como derechohabiente vigente del IMSS. Usted "
                             "recibe atención en su Unidad de Medicina Familiar del IMSS. Si ya "
                             "no tiene ese derecho, pida su Constancia de Vigencia de Derechos "
                             "al IMSS y vuelva a intentarlo.",
                             "This CURP is listed as an active IMSS beneficiary. You are cared "
                             "for at your IMSS family medicine unit. If you no longer have that "
                             "coverage, ask IMSS for a proof of coverage status and try again."},
    [MSG_AFFILIATED_ISSSTE] = {"Esta CURP aparece como derechohabiente vigente del ISSSTE. "
                               "Usted recibe atención en su clínica del ISSSTE. Si ya no tiene "
                               "ese derecho, pida su constancia de no derechohabiencia al ISSSTE "
                               "y vuelva a intentarlo.",
                               "This CURP is listed as an active ISSSTE beneficiary. You are "
                               "cared for at your ISSSTE clinic. If you no longer have that "
                               "coverage, ask ISSSTE for a certificate of non-coverage and try "
                               "again."},
    [MSG_CREDENTIAL_NO_NAMES] = {"Para emitir su credencial necesitamos sus nombres y apellidos "
                                 "tal como aparecen en su CURP. Escríbalos en su cuenta, en "
                                 "«Corregir mi nombre», y vuelva aquí.",
                                 "To issue your credential we need your given names and surnames "
                                 "as they appear on your CURP record. Enter them in your account, "
                                 "under «Correct my name», and come back here."},
    [MSG_CREDENTIAL_NOT_ACTIVE] = {"La credencial se emite cuando su afiliación está activa. "
                                   "Termine y envíe su solicitud primero.",
                                   "The credential is issued once your enrollment is active. "
                                   "Finish and submit your application first."},
    [MSG_INSTITUTION_UNKNOWN] = {"Elija IMSS o ISSSTE.", "Choose IMSS or ISSSTE."},
    [MSG_LETTER_AFFILIATED_IMSS] = {"Esta CURP aparece como derechohabiente vigente del IMSS, así "
                                    "que no podemos emitir una carta de no afiliación al IMSS. "
                                    "Si dejó de tener ese derecho, el IMSS debe actualizar su "
                                    "registro: pida su Constancia de Vigencia de Derechos en el "
                                    "IMSS.",
                                    "This CURP is listed as an active IMSS beneficiary, so we "
                                    "cannot issue a letter of non-affiliation to IMSS. If you no "
                                    "longer have that coverage, IMSS must update its record: ask "
                                    "IMSS for a proof of coverage status."},
    [MSG_LETTER_AFFILIATED_ISSSTE] = {"Esta CURP aparece como derechohabiente vigente del ISSSTE, "
                                      "así que no podemos emitir una carta de no afiliación al "
                                      "ISSSTE. Si dejó de tener ese derecho, el ISSSTE debe "
                                      "actualizar su registro: pida su constancia de no "
                                      "derechohabiencia en el ISSSTE.",
                                      "This CURP is listed as an active ISSSTE beneficiary, so "
                                      "we cannot issue a letter of non-affiliation to ISSSTE. If "
                                      "you no longer have that coverage, ISSSTE must update its "
                                      "record: ask ISSSTE for a certificate of non-coverage."},
    [MSG_LETTER_NO_ROLL] = {"Por ahora no podemos emitir cartas para esta institución: aún no "
                            "tenemos su padrón de derechohabientes para consultarlo. Intente "
                            "más tarde o pregunte en su centro de salud.",
                            "We cannot issue letters for this institution yet: we do not have "
                            "its beneficiary roll to check. Try again later or ask at your "
                            "health center."},
    [MSG_LETTER_NOT_FOUND] = {"No existe una carta con ese folio. Revise el folio impreso en la "
                              "carta.",
                              "There is no letter with that folio. Check the folio printed on "
                              "the letter."},
    [MSG_LETTER_KEY_IN_URL] = {"La clave de descarga no va en la dirección: envíela en el "
                               "encabezado Authorization: Bearer.",
                               "The download key does not go in the URL: send it in the "
                               "Authorization: Bearer header."},
    [MSG_STAFF_KEY_IN_URL] = {"Una CURP o un folio no van en la dirección: búsquelos con POST "
                              "/api/v1/staff/people/lookup y use el id que devuelve.",
                              "A CURP or folio does not go in the URL: look it up with POST "
                              "/api/v1/staff/people/lookup and use the id it returns."},
    [MSG_RATE_LIMITED] = {"Demasiados intentos. Espere un momento y vuelva a intentarlo.",
                          "Too many attempts. Wait a moment and try again."},
    [MSG_NOT_A_DRAFT] = {"Esta solicitud ya se envió y no se puede cambiar aquí. Inicie sesión "
                         "para actualizar sus datos.",
                         "This application was already submitted and cannot be changed here. "
                         "Sign in to update your data."},
    [MSG_STATE_UNKNOWN] = {"Elija una entidad de la lista.", "Choose a state from the list."},
    [MSG_PHONE_CHARSET] = {"Escriba solo los 10 dígitos del celular; puede usar espacios o "
                           "guiones.",
                           "Write only the 10 digits of the mobile number; spaces or dashes "
                           "are fine."},
    [MSG_PHONE_LENGTH] = {"El número celular en México tiene 10 dígitos (lada incluida).",
                          "A Mexican mobile number has 10 digits (area code included)."},
    [MSG_PHONE_AREA] = {"Ninguna lada de México empieza con 0 o 1: revise el número.",
                        "No Mexican area code starts with 0 or 1: check the number."},
    [MSG_PHONE_COUNTRY] = {"Necesitamos un celular de México (+52). Si aún no tiene uno, deje "
                           "este dato para después y use solo su correo.",
                           "We need a Mexican mobile number (+52). If you do not have one yet, "
                           "leave it for later and use your email only."},
    [MSG_EMAIL_INVALID] = {"Revise el correo electrónico: debe tener la forma nombre@dominio.mx, "
                           "sin espacios ni acentos.",
                           "Check the email address: it must look like name@domain.com, without "
                           "spaces or accents."},
    [MSG_EMAIL_LENGTH] = {"El correo electrónico es demasiado largo.",
                          "The email address is too long."},
    [MSG_PRIVACY_OUTDATED] = {"El aviso de privacidad cambió. Léalo de nuevo y acéptelo para "
                              "continuar.",
                              "The privacy notice has changed. Read it again and accept it to "
                              "continue."},
    [MSG_CODE_SHAPE] = {"El código tiene 6 números.", "The code has 6 digits."},
    [MSG_CODE_WRONG] = {"Ese código no es el que le enviamos. Revíselo e intente de nuevo.",
                        "That is not the code we sent you. Check it and try again."},
    [MSG_CODE_EXPIRED] = {"El código ya venció (dura 10 minutos). Pida uno nuevo.",
                          "The code has expired (it lasts 10 minutes). Ask for a new one."},
    [MSG_CODE_EXHAUSTED] = {"Se equivocó demasiadas veces con este código. Pida uno nuevo.",
                            "Too many wrong tries with this code. Ask for a new one."},
    [MSG_CODE_NONE] = {"No hay un código pendiente para este correo. Pida uno nuevo.",
                       "There is no pending code for this email. Ask for a new one."},
    [MSG_CODE_THROTTLED] = {"Ya le enviamos un código hace poco. Espere un momento antes de "
                            "pedir otro y revise también su carpeta de correo no deseado.",
                            "We sent you a code a moment ago. Wait a little before asking for "
                            "another, and check your spam folder too."},
    [MSG_NO_EMAIL_YET] = {"Primero escriba su correo electrónico en el paso de contacto.",
                          "First enter your email address in the contact step."},
    [MSG_POSTAL_CODE_SHAPE] = {"El código postal tiene 5 números.",
                               "A Mexican postal code has 5 digits."},
    [MSG_POSTAL_CODE_UNKNOWN] = {"No encontramos ese código postal en el catálogo de "
                                 "SEPOMEX. Revíselo en un recibo de luz o agua.",
                                 "That postal code is not in the SEPOMEX catalog. Check it on "
                                 "a utility bill."},
    [MSG_POSTAL_CODE_OTHER_STATE] = {"Ese código postal pertenece a otra entidad. Revise el "
                                     "código postal o la entidad.",
                                     "That postal code belongs to another state. Check the "
                                     "postal code or the state."},
    [MSG_POSTAL_CODE_OTHER_MUNICIPALITY] = {"Ese código postal pertenece a otro municipio o "
                                            "alcaldía.",
                                            "That postal code belongs to another "
                                            "municipality."},
    [MSG_MUNICIPALITY_UNKNOWN] = {"Elija un municipio o alcaldía de la lista.",
                                  "Choose a municipality from the list."},
    [MSG_SETTLEMENT_UNKNOWN] = {"Elija su colonia de la lista de ese código postal.",
                                "Choose your neighbourhood from the list for that postal code."},
    [MSG_TEXT_TOO_LONG] = {"Este dato es demasiado largo.", "This field is too long."},
    [MSG_TEXT_INVALID] = {"Este dato tiene caracteres que no se pueden usar, como saltos de "
                          "línea.",
                          "This field has characters that cannot be used, such as line "
                          "breaks."},
    [MSG_POSTAL_NOT_IMPORTED] = {"El catálogo de códigos postales no está cargado en este "
                                 "servidor: escriba su colonia.",
                                 "The postal-code catalog is not loaded on this server: type "
                                 "your neighbourhood."},
    [MSG_DOCUMENT_KIND_UNKNOWN] = {"Ese tipo de documento no existe: use id_front, id_back, face "
                                   "o migration_status.",
                                   "There is no such document: use id_front, id_back, face or "
                                   "migration_status."},
    [MSG_DOCUMENT_MISSING] = {"Todavía no ha subido este documento.",
                              "This document has not been uploaded yet."},
    [MSG_PHOTO_TYPE] = {"Suba una foto en formato JPG o PNG.", "Upload a JPG or PNG photo."},
    [MSG_PHOTO_SIZE] = {"La foto pesa más de 10 MB. Tómela de nuevo con menor resolución.",
                        "The photo is larger than 10 MB. Take it again at a lower resolution."},
    [MSG_PHOTO_DIMENSIONS] = {"La imagen es demasiado grande (más de 60 megapíxeles). Tome la "
                              "foto de nuevo.",
                              "The image is too large (over 60 megapixels). Take the photo "
                              "again."},
    [MSG_PHOTO_UNREADABLE] = {"No pudimos leer la foto: el archivo está dañado o incompleto. "
                              "Tómela o súbala de nuevo.",
                              "We could not read the photo: the file is damaged or incomplete. "
                              "Take or upload it again."},
    [MSG_PHOTO_TOO_SMALL] = {"La foto es demasiado pequeña para leerla (menos de 300 píxeles "
                             "de lado). Acérquese al documento y tómela de nuevo.",
                             "The photo is too small to read (under 300 pixels on a side). "
                             "Move closer to the document and take it again."},
    [MSG_INCOMPLETE] = {"Antes de enviar su solicitud le falta:",
                        "Before you submit, you still need:"},
    [MSG_STEP_NAMES] = {"su nombre y apellidos como en su acta de nacimiento",
                        "your names and surnames as on your birth certificate"},
    [MSG_STEP_CONTACT] = {"sus datos de contacto", "your contact details"},
    [MSG_STEP_EMAIL] = {"confirmar su correo electrónico con el código que le enviamos",
                        "to confirm your email with the code we sent you"},
    [MSG_STEP_PRIVACY] = {"aceptar el aviso de privacidad vigente",
                          "to accept the current privacy notice"},
    [MSG_STEP_PASSWORD] = {"crear su contraseña", "to create your password"},
    [MSG_STEP_ADDRESS] = {"su domicilio", "your address"},
    [MSG_STEP_ID_FRONT] = {"la foto del frente de su identificación",
                           "the photo of the front of your ID"},
    [MSG_STEP_ID_BACK] = {"la foto del reverso de su identificación",
                          "the photo of the back of your ID"},
    [MSG_STEP_FACE] = {"la foto de su rostro", "the photo of your face"},
    [MSG_STEP_MIGRATION] = {"la foto de su documento migratorio",
                            "the photo of your migration document"},
    [MSG_IDENTITY_INVALID] = {"Elija una de las identificaciones de la lista.",
                              "Choose one of the IDs in the list."},
    [MSG_DOC_MIGRATION] = {"Documento migratorio", "Migration document"},
    [MSG_BAD_CREDENTIALS] = {"La CURP o el correo, o la contraseña, no son correctos. Si comparte "
                             "su correo con otra persona, entre con su CURP.",
                             "The CURP or email, or the password, is not right. If you share "
                             "your email with someone else, sign in with your CURP."},
    [MSG_LOGIN_THROTTLED] = {"Demasiados intentos fallidos. Espere unos minutos o recupere su "
                             "contraseña.",
                             "Too many failed attempts. Wait a few minutes or recover your "
                             "password."},
    [MSG_PASSWORD_SAVED] = {"Guardada.", "Saved."},
    [MSG_DOC_ID_FRONT] = {"Identificación oficial, frente", "Official ID, front"},
    [MSG_DOC_ID_BACK] = {"Identificación oficial, reverso", "Official ID, back"},
    [MSG_DOC_FACE] = {"Foto de su cara", "Photo of your face"},
    [MSG_NOT_ACTIVE] = {"Esta afiliación no está activa.", "This enrollment is not active."},
    [MSG_SMS_OFF] = {"Este servicio no confirma celulares por SMS; su número queda registrado "
                     "sin confirmar.",
                     "This service does not confirm phones by SMS; your number is recorded as "
                     "unconfirmed."},
    [MSG_NO_PHONE_YET] = {"Primero escriba su número de celular en sus datos de contacto.",
                          "First enter your mobile number in your contact details."},
    [MSG_FORM_EXPIRED] = {"El formulario venció (o se abrió en otra pestaña). Revise sus datos "
                          "y envíelos de nuevo.",
                          "The form expired (or was opened in another tab). Check your details "
                          "and send them again."},
    [MSG_FORM_UNREADABLE] = {"No pudimos leer lo que envió: tiene caracteres que no se aceptan. "
                             "Revise sus datos y envíelos de nuevo.",
                             "We could not read what you sent: it has characters we do not "
                             "accept. Check your details and send them again."},
    [MSG_PASSWORDS_DIFFER] = {"Las dos contraseñas no son iguales. Escríbala de nuevo en ambos "
                              "campos.",
                              "The two passwords are not the same. Type it again in both fields."},
    [MSG_NAME_NO_LETTER] = {"Escriba el nombre con letras.", "Write the name in letters."},
    [MSG_POSITION_INVALID] = {"Las coordenadas deben ser grados decimales dentro de México "
                              "(latitud de 14 a 33, longitud de -119 a -86), o deje ambas "
                              "vacías.",
                              "Coordinates must be decimal degrees inside Mexico (latitude 14 "
                              "to 33, longitude -119 to -86), or leave both empty."},
    [MSG_CLINIC_NOT_ACTIVE] = {"Su unidad de salud se asigna cuando su afiliación está activa. "
                               "Termine y envíe su solicitud primero.",
                               "Your clinic is assigned once your enrollment is active. Finish "
                               "and submit your application first."},
    [MSG_CLINIC_UNKNOWN] = {"No hay una unidad de IMSS-Bienestar con esa clave CLUES. La clave "
                            "tiene 5 letras y 6 números, como DFIMB002534.",
                            "There is no IMSS-Bienestar unit with that CLUES key. The key has 5 "
                            "letters and 6 digits, such as DFIMB002534."},
    [MSG_CLINIC_NOT_LEVEL_1] = {"Esa unidad no puede ser su unidad de salud: debe ser de primer "
                                "nivel (centro de salud) y estar en operación.",
                                "That unit cannot be your clinic: it must be a first-level unit "
                                "(health centre) in operation."},
    [MSG_CLINIC_TOO_FAR] = {"Esa unidad está demasiado lejos de su domicilio. Elija una a no más "
                            "de 50 km, o a no más de 25 km más que la más cercana.",
                            "That unit is too far from your address. Choose one within 50 km, "
                            "or no more than 25 km farther than the nearest one."},
    [MSG_CLINIC_OTHER_STATE] = {"No sabemos dónde está su domicilio con precisión: elija una "
                                "unidad del estado donde vive.",
                                "We do not know precisely where your address is: choose a unit "
                                "in the state where you live."},
    [MSG_FACILITY_NOT_FOUND] = {"No hay una unidad de IMSS-Bienestar con esa clave CLUES.",
                                "There is no IMSS-Bienestar unit with that CLUES key."},
    [MSG_NEAR_INVALID] = {"Indique near=LAT,LON en grados decimales dentro de México, level=1, 2 "
                          "o 3 y limit de 1 a 100.",
                          "Give near=LAT,LON in decimal degrees inside Mexico, level=1, 2 or 3 "
                          "and limit from 1 to 100."},
    [MSG_APPT_NOT_ACTIVE] = {"Puede sacar una cita cuando su afiliación está activa. Termine y "
                             "envíe su solicitud primero.",
                             "You can book an appointment once your enrollment is active. "
                             "Finish and submit your application first."},
    [MSG_APPT_NO_CLINIC] = {"Aún no tiene unidad de salud asignada, así que no puede sacar cita. "
                            "Revise su domicilio en su cuenta.",
                            "You have no clinic assigned yet, so you cannot book an appointment. "
                            "Check your address in your account."},
    [MSG_APPT_NOT_YOUR_CLINIC] = {"Solo puede sacar cita en su propia unidad de salud, la que "
                                  "aparece en su cuenta.",
                                  "You can only book an appointment at your own clinic, the one "
                                  "shown in your account."},
    [MSG_APPT_HOURS_UNKNOWN] = {"Su unidad de salud aún no publica su horario, así que no da citas "
                                "en línea. Acuda o llame a la unidad.",
                                "Your clinic has not published its opening hours yet, so it "
                                "takes no appointments online. Visit or call the clinic."},
    [MSG_APPT_DATE_INVALID] = {"Escriba la fecha como AAAA-MM-DD, por ejemplo 2026-12-03.",
                               "Write the date as YYYY-MM-DD, for example 2026-12-03."},
    [MSG_APPT_DATE_RANGE] = {"Elija una fecha desde hoy y hasta 30 días después.",
                             "Choose a date from today up to 30 days ahead."},
    [MSG_APPT_CLOSED_WEEKDAY] = {"Su unidad de salud no atiende ese día de la semana. Elija otro "
                                 "día.",
                                 "Your clinic is not open on that day of the week. Choose another "
                                 "day."},
    [MSG_APPT_CLOSED_DAY] = {"Su unidad de salud estará cerrada ese día. Elija otro día.",
                             "Your clinic will be closed that day. Choose another day."},
    [MSG_APPT_TIME_INVALID] = {"Elija uno de los horarios de la lista (HH:MM).",
                               "Choose one of the times in the list (HH:MM)."},
    [MSG_APPT_SLOT_STARTED] = {"Ese horario ya empezó o ya pasó. Elija uno más tarde.",
                               "That time has already started or passed. Choose a later one."},
    [MSG_APPT_ALREADY_BOOKED] = {"Ya tiene una cita de consulta. Cámbiela o cancélela antes de "
                                 "sacar otra.",
                                 "You already have a consultation appointment. Move or cancel it "
                                 "before booking another."},
    [MSG_APPT_SLOT_FULL] = {"Ese horario ya está lleno. Elija otro.",
                            "That time is already full. Choose another."},
    [MSG_APPT_NOT_FOUND] = {"No tiene una cita vigente con ese número.",
                            "You have no current appointment with that number."},
    /* A suspended enrollment (padron crosscheck --suspend). */
    [MSG_SUSPENDED_IMSS] = {"Su afiliación a IMSS-Bienestar está suspendida: el padrón del IMSS "
                            "lo registra como derechohabiente vigente. Acuda a su Unidad de "
                            "Medicina Familiar del IMSS. Si es un error, pida a IMSS-Bienestar "
                            "que lo revise en su centro de salud.",
                            "Your IMSS-Bienestar enrollment is suspended: the IMSS roll lists "
                            "you as an active beneficiary. Go to your IMSS family medicine "
                            "unit. If this is a mistake, ask IMSS-Bienestar to review it at "
                            "your health centre."},
    [MSG_SUSPENDED_ISSSTE] = {"Su afiliación a IMSS-Bienestar está suspendida: el padrón del "
                              "ISSSTE lo registra como derechohabiente vigente. Acuda a su "
                              "clínica del ISSSTE. Si es un error, pida a IMSS-Bienestar que lo "
                              "revise en su centro de salud.",
                              "Your IMSS-Bienestar enrollment is suspended: the ISSSTE roll "
                              "lists you as an active beneficiary. Go to your ISSSTE clinic. If "
                              "this is a mistake, ask IMSS-Bienestar to review it at your health "
                              "centre."},
    [MSG_UNAVAILABLE] = {"El servicio no está disponible por un momento. Intente de nuevo en "
                         "unos segundos.",
                         "The service is unavailable for a moment. Try again in a few seconds."},
    [MSG_INTERNAL] = {"Tuvimos un problema y no se guardó nada. Intente de nuevo en unos minutos.",
                      "Something went wrong on our side and nothing was saved. Try again in a "
                      "few minutes."},
};

const char *i18n(enum i18n_lang lang, enum i18n_msg msg)
{
    if ((unsigned)msg >= MSG_COUNT)
        msg = MSG_INTERNAL;
    return texts[msg][lang == I18N_EN];
}

const char *i18n_code(enum i18n_lang lang)
{
    return lang == I18N_EN ? "en" : "es";
}

void i18n_state_not_participating(enum i18n_lang lang, const char *state_name, char *buf,
                                  size_t size)
{
    if (lang == I18N_EN)
        snprintf(buf, size,
                 "%s is not part of IMSS-Bienestar. There, people without social security are "
                 "cared for by the state's own health services: ask at the nearest health "
                 "center. In an emergency, any IMSS-Bienestar hospital will care for you.",
                 state_name);
    else
        snprintf(buf, size,
                 "%s no forma parte de IMSS-Bienestar. Ahí, a las personas sin seguridad social "
                 "las atienden los servicios de salud del estado: acuda al centro de salud más "
                 "cercano. En una urgencia, cualquier hospital de IMSS-Bienestar le atiende.",
                 state_name);
}

/* The parts of each code mail: subject, what the code is for, where to type it,
 * and what happens when the mail was not expected. */
static const struct {
    const char *subject[2], *purpose[2], *where[2], *unexpected[2];
} code_mails[] = {
    [I18N_MAIL_VERIFY] =
        {{"Su código de confirmación de IMSS-Bienestar", "Your IMSS-Bienestar confirmation code"},
         {"confirmar este correo electrónico", "confirm this email address"},
         {"Escríbalo en la página de registro.", "Type it in the registration page."},
         {"Si usted no inició un registro en IMSS-Bienestar, ignore este mensaje: no pasará nada.",
          "If you did not start an IMSS-Bienestar registration, ignore this message: nothing will "
          "happen."}},
    [I18N_MAIL_RESET] =
        {{"Su código para cambiar su contraseña de IMSS-Bienestar",
          "Your IMSS-Bienestar password reset code"},
         {"elegir una contraseña nueva", "choose a new password"},
         {"Escríbalo en la página donde lo pidió.", "Type it in the page where you asked for it."},
         {"Si usted no pidió cambiar su contraseña, ignore este mensaje: su contraseña sigue "
          "siendo "
          "la misma.",
          "If you did not ask to reset your password, ignore this message: your password stays "
          "the same."}},
    [I18N_MAIL_CHANGE] =
        {{"Confirme su nuevo correo de IMSS-Bienestar", "Confirm your new IMSS-Bienestar email"},
         {"confirmar que este es su nuevo correo", "confirm that this is your new email"},
         {"Escríbalo en la página de su cuenta.", "Type it in your account page."},
         {"Si usted no pidió este cambio, ignore este mensaje: su correo no cambiará.",
          "If you did not ask for this change, ignore this message: your email will not "
          "change."}},
};

void i18n_code_mail(enum i18n_lang lang, enum i18n_mail kind, const char *code, int minutes,
                    char *subject, size_t subject_size, char *body, size_t body_size)
{
    int l = lang == I18N_EN;
    snprintf(subject, subject_size, "%s", code_mails[kind].subject[l]);
    snprintf(body, body_size,
             l ? "Your code to %s is:\n\n    %s\n\nIt is valid for %d minutes. %s\n\n%s\n"
               : "Su código para %s es:\n\n    %s\n\nVale por %d minutos. %s\n\n%s\n",
             code_mails[kind].purpose[l], code, minutes, code_mails[kind].where[l],
             code_mails[kind].unexpected[l]);
}

void i18n_letter_mail(enum i18n_lang lang, const char *institution, const char *folio,
                      const char *url, char *subject, size_t subject_size, char *body,
                      size_t body_size)
{
    if (lang == I18N_EN) {
        snprintf(subject, subject_size, "Your letter of non-affiliation to %s (%s)", institution,
                 folio);
        snprintf(body, body_size,
                 "Attached is your letter of non-affiliation to %s, folio %s, as a PDF.\n\n"
                 "Print it on any paper or show it on your phone: it needs no stamp and no "
                 "signature by hand. Whoever receives it checks it by scanning its QR code or "
                 "at:\n\n    %s\n\nIf you did not ask for this letter, you can ignore this "
                 "message.\n",
                 institution, folio, url);
    } else {
        snprintf(subject, subject_size, "Su carta de no afiliación al %s (%s)", institution, folio);
        snprintf(body, body_size,
                 "Le enviamos adjunta en PDF su carta de no afiliación al %s, folio %s.\n\n"
                 "Imprímala en cualquier hoja o muéstrela en su teléfono: no necesita sello ni "
                 "firma a mano. Quien la reciba la verifica escaneando su código QR o en:\n\n"
                 "    %s\n\nSi usted no pidió esta carta, puede ignorar este mensaje.\n",
                 institution, folio, url);
    }
}

void i18n_appointment_mail(enum i18n_lang lang, const char *clinic, const char *date,
                           const char *slot_text, const char *arrival_text, char *subject,
                           size_t subject_size, char *body, size_t body_size)
{
    if (lang == I18N_EN) {
        snprintf(subject, subject_size, "Your appointment on %s at %s", date, clinic);
        snprintf(body, body_size,
                 "Your consultation appointment is booked:\n\n    %s\n    %s, slot %s\n"
                 "    Please arrive between %s.\n\nEach person in the slot has an arrival "
                 "window of their own, so there is no need to come earlier. Bring your "
                 "credential. If you cannot come, move or cancel the appointment in your "
                 "account so somebody else can use the place.\n",
                 clinic, date, slot_text, arrival_text);
    } else {
        snprintf(subject, subject_size, "Su cita del %s en %s", date, clinic);
        snprintf(body, body_size,
                 "Su cita de consulta quedó registrada:\n\n    %s\n    %s, horario %s\n"
                 "    Llegue entre las %s.\n\nCada persona del horario tiene su propio momento "
                 "de llegada: no hace falta llegar antes. Traiga su credencial. Si no puede "
                 "venir, cambie o cancele la cita en su cuenta para que otra persona use el "
                 "lugar.\n",
                 clinic, date, slot_text, arrival_text);
    }
}

void i18n_code_sms(enum i18n_lang lang, const char *code, int minutes, char *text, size_t size)
{
    /* ASCII only: a GSM-7 message of at most 160 characters costs one SMS. */
    if (lang == I18N_EN)
        snprintf(text, size,
                 "IMSS-Bienestar: your code is %s. Valid %d minutes. Nobody from IMSS-Bienestar "
                 "will ask you for it.",
                 code, minutes);
    else
        snprintf(text, size,
                 "IMSS-Bienestar: su codigo es %s. Vale %d minutos. Nadie de IMSS-Bienestar se "
                 "lo pedira.",
                 code, minutes);
}

void i18n_curp_error(enum i18n_lang lang, const struct curp_result *r, char *buf, size_t size)
{
    bool en = lang == I18N_EN;
    int p = r->position;
    switch (r->status) {
    case CURP_VALID:
        snprintf(buf, size, "%s", en ? "The CURP is valid." : "La CURP es válida.");
        return;
    case CURP_ERR_LENGTH:
        if (en)
            snprintf(buf, size, "A CURP has 18 characters; this one has %zu.", r->length);
        else
            snprintf(buf, size, "La CURP tiene 18 caracteres; esta tiene %zu.", r->length);
        return;
    case CURP_ERR_CHARSET:
        if (en)
            snprintf(buf, size, "A CURP has only letters A-Z and digits; character %d is '%s'.", p,
                     r->found);
        else
            snprintf(buf, size,
                     "La CURP solo lleva letras de la A a la Z y números; el carácter "
                     "%d es «%s».",
                     p, r->found);
        return;
    case CURP_ERR_INITIALS:
    case CURP_ERR_POSITION_2:
    case CURP_ERR_CONSONANTS:
    case CURP_ERR_SEX:
        if (en)
            snprintf(buf, size,
                     "Character %d of the CURP ('%s') is not possible there; check "
                     "it against your CURP document.",
                     p, r->found);
        else
            snprintf(buf, size,
                     "El carácter %d de la CURP («%s») no puede ir ahí; compárelo "
                     "con su constancia de CURP.",
                     p, r->found);
        return;
    case CURP_ERR_DATE:
        if (r->year == 0)
            snprintf(buf, size, "%s",
                     en ? "Characters 5 to 10 of the CURP must be the birth date "
                          "(YYMMDD)."
                        : "Los caracteres 5 a 10 de la CURP deben ser la fecha de "
                          "nacimiento (AAMMDD).");
        else if (en)
            snprintf(buf, size, "The birth date in the CURP, %04d-%02d-%02d, is not possible.",
                     r->year, r->month, r->day);
        else
            snprintf(buf, size, "La fecha de nacimiento de la CURP, %02d/%02d/%04d, no es posible.",
                     r->day, r->month, r->year);
        return;
    case CURP_ERR_STATE:
        snprintf(buf, size, "%s",
                 en ? "Characters 12 and 13 of the CURP are not a Mexican state "
                      "code or NE (born abroad)."
                    : "Los caracteres 12 y 13 de la CURP no son una clave de "
                      "entidad ni NE (nacido en el extranjero).");
        return;
    case CURP_ERR_CHECK_DIGIT:
        snprintf(buf, size, "%s",
                 en ? "The last digit of the CURP does not match the rest: "
                      "check that every character is right."
                    : "El último dígito de la CURP no corresponde al resto: "
                      "revise que cada carácter esté bien escrito.");
        return;
    case CURP_ERR_INCONVENIENT_WORD:
        snprintf(buf, size, "%s",
                 en ? "RENAPO never issues a CURP that starts with these "
                      "letters: check the first four."
                    : "RENAPO no emite CURP que empiecen con estas letras: "
                      "revise las primeras cuatro.");
        return;
    }
    snprintf(buf, size, "%s", i18n(lang, MSG_INTERNAL));
}

void i18n_name_character(enum i18n_lang lang, const char *bad, char *buf, size_t size)
{
    if (lang == I18N_EN)
        snprintf(buf, size,
                 "A name may hold only letters, spaces, apostrophes ('), hyphens (-) and dots; "
                 "«%s» cannot be used.",
                 bad);
    else
        snprintf(buf, size,
                 "Un nombre solo puede tener letras, espacios, apóstrofos ('), guiones (-) y "
                 "puntos; «%s» no se puede usar.",
                 bad);
}

void i18n_name_mismatch(enum i18n_lang lang, const struct person_name_mismatch *m,
                        const char *typed, char *buf, size_t size)
{
    static const char *const field_names[3][2] = {
        [PERSON_NAME_FIRST_SURNAME] = {"El primer apellido", "The first surname"},
        [PERSON_NAME_SECOND_SURNAME] = {"El segundo apellido", "The second surname"},
        [PERSON_NAME_GIVEN_NAMES] = {"El nombre", "The given name"},
    };
    /* The CURP position of each field's initial and internal consonant. */
    static const int initial_at[3] = {1, 3, 4}, consonant_at[3] = {14, 15, 16};
    bool en = lang == I18N_EN;
    unsigned f = (unsigned)m->field < 3 ? (unsigned)m->field : 0;
    size_t n = strlen(m->curp), last = n > 0 ? n - 1 : 0;
    char what[384];
    if (m->field == PERSON_NAME_SECOND_SURNAME && !*typed && m->curp[0] != 'X')
        snprintf(what, sizeof what,
                 en ? "The second surname is missing: your CURP has one (its letter 3 is «%c»)."
                    : "Falta el segundo apellido: su CURP tiene uno (su letra 3 es «%c»).",
                 m->curp[0]);
    else if (m->field == PERSON_NAME_FIRST_SURNAME && m->initials)
        snprintf(what, sizeof what,
                 en ? "%s does not match your CURP: the CURP starts with «%.2s», and «%s» gives "
                      "«%.2s»."
                    : "%s no coincide con su CURP: la CURP empieza con «%.2s», y «%s» da «%.2s».",
                 field_names[f][en], m->curp, typed, m->derived);
    else
        snprintf(what, sizeof what,
                 en ? "%s does not match your CURP: letter %d of the CURP is «%c», and «%s» gives "
                      "«%c»."
                    : "%s no coincide con su CURP: la letra %d de la CURP es «%c», y «%s» da «%c».",
                 field_names[f][en], m->initials ? initial_at[f] : consonant_at[f],
                 m->initials ? m->curp[0] : m->curp[last], typed,
                 m->initials ? m->derived[0] : m->derived[last]);
    const char *no_second =
        m->field == PERSON_NAME_SECOND_SURNAME && m->curp[0] == 'X' && *typed
            ? (en ? " If your CURP record shows no second surname, leave that field empty."
                  : " Si su constancia de CURP no tiene segundo apellido, deje ese campo vacío.")
            : "";
    snprintf(buf, size,
             en ? "%s Write your names exactly as on your birth certificate or your CURP "
                  "record.%s"
                : "%s Escriba sus nombres tal como aparecen en su acta de nacimiento o en su "
                  "constancia de CURP.%s",
             what, no_second);
}
