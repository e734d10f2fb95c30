/* GET /api/v1/privacy-notice: the notice in force, in the asked language. */
#include "web/routes.h"

#include "web/privacy_notice.h"

#include <jansson.h>
#include <microhttpd.h>

int api_privacy_notice(const struct web_request *req)
{
    const struct privacy_notice *n = privacy_notice_current();
    return web_reply_json(req, MHD_HTTP_OK,
                          json_pack("{s:s, s:s, s:s}", "version", n->version, "language",
                                    i18n_code(req->lang), "text", n->text[req->lang]));
}
