// The pages the browser test audits, one entry each. Every entry is opened at a
// 360x740 phone viewport once per language in LANGUAGES and must pass every
// check (see README.md). To audit a new page, add a line here.
//
//   path     what to GET (a query string is allowed)
//   name     file name of its screenshots (build/browser/NAME.LANG.png); from path if absent
//   status   HTTP status expected (200 if absent)
//   budget   bytes on the wire for the page and everything it loads (BUDGET if absent)

// Spanish first: it is the default language of the service.
export const LANGUAGES = [
    { code: 'es', acceptLanguage: 'es-MX,es;q=0.9', locale: 'es-MX' },
    { code: 'en', acceptLanguage: 'en-US,en;q=0.9', locale: 'en-US' },
];

// 50 KB, counted as 50,000 bytes: what a page and everything it loads may weigh
// on the wire (response bodies as transferred, headers not counted).
export const BUDGET = 50_000;

export const PAGES = [
    { path: '/', name: 'home' },
    { path: '/requisitos' },
    { path: '/cobertura' },
    { path: '/entrar', name: 'sign-in' },
    { path: '/recuperar', name: 'reset' },
    { path: '/unidades/DFIMB002534', name: 'facility' }, // a health centre, with its hours and map link
    { path: '/unidades/BCIMB000010', name: 'facility-hospital' }, // a hospital open every day
    { path: '/unidades/DFIMB999999', name: 'facility-unknown', status: 404 },
    { path: '/personal/entrar', name: 'staff-sign-in' },
    { path: '/personal/contrasena', name: 'staff-password' },
    { path: '/no-existe', name: 'not-found', status: 404 }, // the page for a wrong address
    { path: '/cartas', name: 'letters' },
    { path: '/cartas/NA26-ZZZZ-ZZZZ', name: 'letter-not-found', status: 404 }, // no such folio
    { path: '/verificar', name: 'verify' },
];
