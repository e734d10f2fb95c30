// The registration wizard, walked from the CURP to the folio the way a person
// would: the plain HTML forms, the code read from the email, real photos. The
// assertions hold whatever the wording: they look at where each form leads, at
// aria-invalid, at the error elements tied to a field, at the error summary's
// links and at the folio's shape, never at the text.
//
// In each language, twice, each time in a fresh browser context (no cookies)
// with a CURP of its own (a CURP holds one active enrollment): with JavaScript
// (every page audited: status, lang, weight, axe) and without it (the forms must
// work on their own; status and lang checked). Every step is first sent with
// one mistake, and the page that answers must point at it.
//
// Four walks start four applications: well under the 30 an hour the server
// allows one client address (web/enrollment.c), on the test's own server.

import { execFileSync } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';

import { gradientPng } from './png.mjs';

export const START = '/registro/curp';
const STEP = {
    curp: START,
    names: '/registro/nombre',
    contact: '/registro/contacto',
    verification: '/registro/verificacion',
    password: '/registro/contrasena',
    address: '/registro/domicilio',
    documents: '/registro/documentos',
    review: '/registro/revision',
    submit: '/registro/enviar',
    done: '/registro/listo',
    signIn: '/entrar',
    account: '/cuenta',
    accountContact: '/cuenta/contacto',
    accountNames: '/cuenta/nombre',
    credential: '/cuenta/credencial',
    move: '/cuenta/domicilio',
};

// The person. Positions 1-16 of the CURP are shared; the 17th (the homoclave, a
// digit for a birth before 2000) is the walk's number, and the 18th is computed.
const CURP_STEM = 'SABC560626MDFLRN';
const INVALID_CURP = 'SABC560626MDFLRN09'; // check digit: expected 1, found 9
// The names the stem's letters come from: SA-B-C ... L-R-N.
const NAMES = { given_names: 'Concepción', first_surname: 'Salgado', second_surname: 'Briseño' };
const STATE = '20'; // Oaxaca, which takes part in IMSS-Bienestar
const ADDRESS = { cp: '70400', municipality: '551', settlement: 'Centro', street: 'Juárez', number: '3' };
const PASSWORD = 'Nopal-Azul#Tlayuda7';
const DOCUMENTS = ['id_front', 'id_back', 'face'];
const FOLIO = /^IB\d{2}-[0-9A-Z]{4}-[0-9A-Z]{4}$/;

// A real photo for every upload (the server decodes and re-encodes it), and a
// text file picked by mistake.
const PHOTO = { name: 'foto.png', mimeType: 'image/png', buffer: gradientPng(640, 480) };
const NOT_A_PHOTO = { name: 'notas.txt', mimeType: 'text/plain', buffer: Buffer.from('not an image\n') };

// Statuses a page that shows a mistake may answer with; the markup is what is judged.
const ERROR_STATUSES = [200, 400, 403, 409, 415, 422];

// How long the server may take to drop the code's email into its Maildir.
const MAIL_WAIT_MS = 10_000;

export async function wizardFlow(t) {
    const probe = await fetch(new URL(START, t.url), { redirect: 'manual', signal: AbortSignal.timeout(15_000) });
    await probe.arrayBuffer();
    if (probe.status === 404) {
        t.skip('wizard', `GET ${START} answers 404: the wizard is not there yet`);
        return;
    }
    let walk = 0;
    for (const lang of t.languages) {
        for (const javaScript of [true, false]) {
            walk++;
            const person = { curp: validCurp(t.padron, walk), email: `persona${walk}@ejemplo.mx` };
            await walkWizard(t, lang, javaScript, person);
        }
    }
}

// A valid CURP whose homoclave is n (1-9), with the check digit padron computes.
function validCurp(padron, n) {
    const stem = `${CURP_STEM}${n}`;
    return stem + execFileSync(padron, ['curp', 'check-digit', stem], { encoding: 'utf8' }).trim();
}

// The whole wizard in one fresh context. A step that does not lead where it
// should stops the walk (the next steps cannot be reached) with one failure.
async function walkWizard(t, lang, javaScript, person) {
    const session = await t.open(lang, { javaScript });
    const w = { t, lang, javaScript, ...session, name: `wizard${javaScript ? '' : ' (no JS)'} [${lang.code}]` };
    try {
        await curpStep(w, person.curp);
        await namesStep(w);
        await contactStep(w, person.email);
        await verificationStep(w, person.email);
        await passwordStep(w);
        await addressStep(w);
        await documentsStep(w);
        await reviewStep(w);
        await doneStep(w, person.curp);
        await accountStep(w, person.email);
    } catch (e) {
        t.fail(`${w.name} walk stopped`, [e.message.split('\n')[0]]);
    } finally {
        await w.context.close();
    }
}

// ---- the steps, each with its mistake first ------------------------------------------

async function curpStep(w, curp) {
    await arrive(w, await w.t.visit(w.page, STEP.curp), STEP.curp, { shot: '1-curp' });

    await field(w, 'curp').fill(INVALID_CURP);
    await sendMistake(w, named('curp'), STEP.curp, {
        shot: '1-curp-error',
        what: 'wrong check digit',
        kept: { curp: INVALID_CURP },
    });

    await field(w, 'curp').fill(curp);
    await arrive(w, await send(w, named('curp')), STEP.names, { shot: '1b-names' });
}

async function namesStep(w) {
    // A first surname the CURP does not start with.
    await field(w, 'given_names').fill(NAMES.given_names);
    await field(w, 'first_surname').fill('Pérez');
    await field(w, 'second_surname').fill(NAMES.second_surname);
    await sendMistake(w, named('first_surname'), STEP.names, {
        shot: '1b-names-error',
        what: 'first surname against the CURP',
        kept: { first_surname: 'Pérez' },
    });

    await field(w, 'first_surname').fill(NAMES.first_surname);
    await arrive(w, await send(w, named('first_surname')), STEP.contact, { shot: '2-contact' });
}

async function contactStep(w, email) {
    await field(w, 'state').selectOption(STATE);
    await field(w, 'email').fill(email);
    // The privacy notice left unaccepted.
    await sendMistake(w, named('privacy_notice_version'), STEP.contact, {
        shot: '2-contact-error',
        what: 'privacy notice not accepted',
        kept: { email },
    });

    await field(w, 'privacy_notice_version').check();
    await arrive(w, await send(w, named('email')), STEP.verification, { shot: '3-verification' });
}

async function verificationStep(w, email) {
    const code = await emailedCode(w.t.dataDir, email);
    await field(w, 'code').fill(code === '000000' ? '111111' : '000000');
    await sendMistake(w, named('code'), STEP.verification, { shot: '3-verification-error', what: 'wrong code' });

    await field(w, 'code').fill(code);
    await arrive(w, await send(w, named('code')), STEP.password, { shot: '4-password' });
}

async function passwordStep(w) {
    await field(w, 'password').fill(PASSWORD);
    await field(w, 'password2').fill(`${PASSWORD}x`);
    await sendMistake(w, named('password2'), STEP.password, { shot: '4-password-error', what: 'passwords differ' });

    // Password fields come back empty, as they should: both typed again.
    await field(w, 'password').fill(PASSWORD);
    await field(w, 'password2').fill(PASSWORD);
    await arrive(w, await send(w, named('password')), STEP.address, { shot: '5-address' });
}

// Two stages on one URL. The test's server has no SEPOMEX catalog (it is never
// redistributed), so the first, a GET form, asks the postal code and the state;
// the second lists the state's municipalities and takes the settlement as text.
async function addressStep(w) {
    await field(w, 'cp').fill(ADDRESS.cp);
    await field(w, 'estado').selectOption(STATE);
    await arrive(w, await send(w, named('cp')), STEP.address, { shot: '5-address-place', what: 'postal code' });

    await field(w, 'municipality').selectOption(ADDRESS.municipality);
    await field(w, 'settlement').fill(ADDRESS.settlement);
    await field(w, 'number').fill(ADDRESS.number);
    // The street left empty.
    await sendMistake(w, named('street'), STEP.address, {
        shot: '5-address-error',
        what: 'no street',
        kept: { settlement: ADDRESS.settlement, number: ADDRESS.number },
    });

    await field(w, 'street').fill(ADDRESS.street);
    await arrive(w, await send(w, named('street')), STEP.documents, { shot: '6-documents' });
}

// One form per photo: a refused file is reported at its own form.
async function documentsStep(w) {
    await w.page.locator(photoInput('id_front')).setInputFiles(NOT_A_PHOTO);
    await sendMistake(w, photoInput('id_front'), `${STEP.documents}/id_front`, {
        shot: '6-documents-error',
        what: 'a text file as the photo',
    });

    for (const kind of DOCUMENTS) {
        await w.page.locator(photoInput(kind)).setInputFiles(PHOTO);
        const res = await send(w, photoInput(kind));
        await arrive(w, res, STEP.documents, { shot: `6-documents-${kind}`, what: `${kind} uploaded` });
    }
    const shown = await w.page.locator(`img[src^="${STEP.documents}/"]`).count();
    check(w, 'the three photos are shown', shown === DOCUMENTS.length, `${shown} <img> of a received photo`);

    const next = w.page.locator(`a[href="${STEP.review}"]`);
    if ((await next.count()) === 0)
        throw new Error(`${STEP.documents}: no link to ${STEP.review} once every photo is in`);
    await arrive(w, await w.t.visit(w.page, STEP.review), STEP.review, { shot: '7-review' });
}

async function reviewStep(w) {
    // The form outlived its CSRF cookie (a cleared or expired cookie): the
    // submission is refused, said so in the summary, and the form offered again.
    await w.context.clearCookies({ name: 'csrf' });
    const submitForm = `form[action="${STEP.submit}"] [name="csrf"]`;
    const res = await send(w, submitForm);
    await arrive(w, res, STEP.submit, { shot: '7-review-error', what: 'form expired', status: ERROR_STATUSES });
    await summaryShown(w, `${STEP.submit} (form expired)`);

    await arrive(w, await send(w, submitForm), STEP.done, { shot: '8-done' });
}

async function doneStep(w, curp) {
    const strong = await w.page.locator('main strong').allInnerTexts();
    const folio = strong.map((s) => s.trim()).find((s) => FOLIO.test(s));
    const detail = folio ? `${folio} for ${curp}` : `no <strong> in <main> holds a folio: ${JSON.stringify(strong)}`;
    check(w, 'folio', Boolean(folio), detail);
}

// The account the walk just made: a wrong password, then the right one; the
// account page with the three photos; its contact and move forms; signing out.
async function accountStep(w, email) {
    await arrive(w, await w.t.visit(w.page, STEP.signIn), STEP.signIn, { shot: '9-sign-in' });
    await field(w, 'login').fill(email);
    await field(w, 'password').fill(`${PASSWORD}x`);
    await arrive(w, await send(w, named('password')), STEP.signIn, {
        shot: '9-sign-in-error',
        what: 'wrong password',
        status: [401],
    });
    await summaryShown(w, `${STEP.signIn} (wrong password)`);

    await field(w, 'login').fill(email);
    await field(w, 'password').fill(PASSWORD);
    await arrive(w, await send(w, named('password')), STEP.account, { shot: '10-account' });
    const shown = await w.page.locator(`img[src^="${STEP.account}/documentos/"]`).count();
    check(w, 'the account shows the three photos', shown === DOCUMENTS.length, `${shown} <img>`);

    // The home clinic assigned on submit, and its page (no sign-in needed).
    const clinic = w.page.locator('a[href^="/unidades/"]');
    const href = (await clinic.count()) === 1 ? await clinic.getAttribute('href') : null;
    check(w, 'the account shows the home clinic with a link to its page', href !== null,
        `${await clinic.count()} link(s) to /unidades/`);
    if (href) {
        const res = await w.t.visit(w.page, href);
        await arrive(w, res, href, { shot: '10c-clinic' });
        const map = await w.page.locator('a[href^="https://www.openstreetmap.org/?mlat="]').count();
        check(w, 'the clinic page links to the map', map === 1, `${map} map link(s)`);
    }

    await arrive(w, await w.t.visit(w.page, STEP.accountContact), STEP.accountContact, {
        shot: '11-account-contact',
    });
    await arrive(w, await w.t.visit(w.page, `${STEP.move}?cambiar=1`), STEP.move, { shot: '12-move' });
    await arrive(w, await w.t.visit(w.page, STEP.accountNames), STEP.accountNames, {
        shot: '12b-account-names',
    });

    await arrive(w, await w.t.visit(w.page, STEP.credential), STEP.credential, { shot: '12c-credential' });
    const qr = await w.page.locator('main svg[role="img"] title').count();
    check(w, 'the credential shows its QR code', qr === 1, `${qr} svg with a title`);

    await arrive(w, await w.t.visit(w.page, STEP.account), STEP.account, { shot: '10-account-again' });
    await arrive(w, await send(w, 'form[action="/salir"] [name="csrf"]'), STEP.signIn, {
        shot: '13-signed-out',
    });
    const back = await w.t.visit(w.page, STEP.account);
    check(w, 'signed out: the account asks to sign in again', new URL(w.page.url()).pathname === STEP.signIn,
        `GET ${STEP.account} led to ${w.page.url()} (${back?.status()})`);
    w.tracker.reset();
}

// ---- helpers --------------------------------------------------------------------------

// Fields are found by their names, the forms' contract with the server.
function named(name) {
    return `[name="${name}"]`;
}

function field(w, name) {
    return w.page.locator(named(name));
}

// The file input of the upload form of one kind of photo.
function photoInput(kind) {
    return `form[action="${STEP.documents}/${kind}"] input[type="file"]`;
}

// Presses the submit button of the form holding the field `selector` matches;
// returns the response of the page that answers (after redirects).
function send(w, selector) {
    return w.t.submit(w.page, w.page.locator(selector));
}

// One pass or fail line of this walk.
function check(w, what, ok, detail) {
    if (ok) w.t.pass(`${w.name} ${what}`, detail);
    else w.t.fail(`${w.name} ${what}`, [detail]);
}

// The page a form or link led to must be at `where` (else the walk cannot go
// on). With JavaScript it is audited like any page (status, lang, weight,
// reflow, errors, axe, screenshot); without, its status and <html lang> are
// checked. A page reached without a mistake has no field marked invalid.
async function arrive(w, res, where, { shot, what, status = 200 }) {
    const label = what ? `${where} (${what})` : where;
    const at = new URL(w.page.url()).pathname;
    if (at !== where) throw new Error(`${label}: led to ${w.page.url()} with status ${res?.status()}`);
    if (w.javaScript) {
        const audited = { label: `wizard ${label}`, lang: w.lang, name: `wizard-${shot}`, status };
        await w.t.audit(w.page, w.tracker, res, audited);
    } else {
        const got = res?.status();
        const htmlLang = ((await w.page.locator('html').getAttribute('lang')) ?? '').toLowerCase().split('-')[0];
        const ok = [].concat(status).includes(got) && htmlLang === w.lang.code;
        check(w, `${label} answers`, ok, `status ${got}, <html lang="${htmlLang}">`);
    }
    if (status === 200) {
        const invalid = await w.page.locator('[aria-invalid="true"]').count();
        if (invalid)
            w.t.fail(`${w.name} ${label} no field marked invalid`, [`${invalid} field(s) with aria-invalid="true"`]);
    }
    w.tracker.reset();
}

// Sends the form of the field `selector` matches, holding a mistake there. The
// answer must be the same step with the error summary shown and the field
// marked: aria-invalid="true", a new visible error in its aria-describedby, a
// visible summary link to it; and what was typed kept (`kept`: name → value).
async function sendMistake(w, selector, where, { shot, what, kept = {} }) {
    const before = await describedBy(w.page.locator(selector));
    await arrive(w, await send(w, selector), where, { shot, what, status: ERROR_STATUSES });
    const label = `${where} (${what})`;
    await summaryShown(w, label);

    const again = w.page.locator(selector);
    if ((await again.count()) !== 1) throw new Error(`${label}: expected the field ${selector} again`);
    const invalid = await again.getAttribute('aria-invalid');
    const shownAs = invalid === null ? 'absent' : `"${invalid}"`;
    check(w, `${label} field aria-invalid`, invalid === 'true', `aria-invalid is ${shownAs}`);

    const errors = [];
    for (const id of await describedBy(again)) {
        if (before.includes(id)) continue; // the hint it always had is not the error
        const el = w.page.locator(`[id="${cssString(id)}"]`).first();
        if ((await el.count()) && (await el.isVisible()) && (await el.innerText()).trim()) errors.push(`#${id}`);
    }
    const described = errors.length
        ? `aria-describedby → ${errors.join(' ')}`
        : 'no new, visible, non-empty element in its aria-describedby';
    check(w, `${label} error at the field`, errors.length > 0, described);

    const id = await again.getAttribute('id');
    const link = id ? w.page.locator(`a[href="#${cssString(id)}"]`).filter({ visible: true }) : null;
    const linked = link ? await link.count() : 0;
    check(w, `${label} summary links to the field`, linked > 0, `${linked} visible a[href="#${id}"]`);

    // Case aside: the server may give a CURP back in capitals.
    for (const [name, value] of Object.entries(kept)) {
        const now = await field(w, name).inputValue();
        check(w, `${label} keeps ${name}`, now.toUpperCase() === value.toUpperCase(), `the field holds "${now}"`);
    }
}

// The error summary: announced (role="alert"), visible, not empty, and each of
// its in-page links leads to an element of the page.
async function summaryShown(w, label) {
    const summary = w.page.locator('[role="alert"]').filter({ visible: true });
    const n = await summary.count();
    const text = n ? (await summary.first().innerText()).trim() : '';
    check(w, `${label} error summary`, n === 1 && text !== '', `${n} visible [role="alert"], ${text.length} characters`);
    if (n === 0) return;
    const links = summary.first().locator('a[href^="#"]');
    const hrefs = await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    for (const href of hrefs) {
        const target = href.slice(1);
        const found = target ? await w.page.locator(`[id="${cssString(target)}"]`).count() : 0;
        check(w, `${label} summary link ${href} has a target`, found === 1, `${found} element(s) with id "${target}"`);
    }
}

// The ids a field's aria-describedby names.
async function describedBy(locator) {
    if ((await locator.count()) !== 1) return [];
    return ((await locator.getAttribute('aria-describedby')) ?? '').split(/\s+/).filter(Boolean);
}

// The 6-digit code of the email to `email` in the server's Maildir (with
// no SMTP server configured, padron delivers there): RFC 5322 files whose body
// has the code alone on a line, indented by four spaces.
async function emailedCode(dataDir, email) {
    const dir = path.join(dataDir, 'mail', 'new');
    for (let waited = 0; waited <= MAIL_WAIT_MS; waited += 100) {
        const files = await readdir(dir).catch(() => []);
        for (const f of files) {
            const lines = (await readFile(path.join(dir, f), 'utf8')).split(/\r?\n/);
            if (!lines.includes(`To: ${email}`)) continue;
            const code = lines.find((l) => /^ {4}\d{6}$/.test(l));
            if (code) return code.trim();
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no email with a code to ${email} in ${dir} within ${MAIL_WAIT_MS} ms`);
}

function cssString(s) {
    return s.replace(/["\\]/g, '\\$&');
}
