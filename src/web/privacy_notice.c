#include "web/privacy_notice.h"

static const struct privacy_notice notices[] = {
    {
        "2026-11",
        {
            "Aviso de privacidad simplificado de padron (IMSS-Bienestar).\n\n"
            "Los datos que usted nos da (CURP, nombre, teléfono, correo electrónico, domicilio, "
            "fotografías de su identificación y de su rostro) se usan solo para afiliarle a los "
            "servicios de salud de IMSS-Bienestar, emitir su credencial y sus cartas de no "
            "afiliación, asignarle una unidad de salud, darle citas y dar seguimiento a su "
            "atención.\n\n"
            "Se consultan los padrones del IMSS y del ISSSTE para verificar que no tenga ya "
            "seguridad social. No se venden ni se ceden sus datos a nadie. Solo el personal "
            "autorizado puede verlos y cada consulta queda registrada.\n\n"
            "Sus fotografías y documentos se guardan cifrados. Usted puede consultar, corregir o "
            "cancelar sus datos, u oponerse a su uso (derechos ARCO), en su cuenta o en la línea "
            "telefónica del programa.",
            "padron (IMSS-Bienestar) simplified privacy notice.\n\n"
            "The data you give us (CURP, name, phone, email, address, photos of your ID and of "
            "your face) are used only to enroll you in IMSS-Bienestar health care, issue your "
            "credential and your letters of non-affiliation, assign you a clinic, give you "
            "appointments and follow up on your care.\n\n"
            "The IMSS and ISSSTE rolls are consulted to check that you do not already have "
            "social security. Your data are never sold or handed to anyone. Only authorised staff "
            "can see them, and every access is recorded.\n\n"
            "Your photos and documents are stored encrypted. You can see, correct or delete your "
            "data, or object to their use (ARCO rights), in your account or through the "
            "program's phone line.",
        },
    },
};

const struct privacy_notice *privacy_notice_current(void)
{
    return &notices[sizeof notices / sizeof notices[0] - 1];
}
