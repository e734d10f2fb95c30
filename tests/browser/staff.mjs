// The staff pages in the browser: the first password from the code `padron staff
// add` prints, the staff sign-in (a wrong password first), the desk's lookup of a
// person the wizard enrolled (a CURP nobody enrolled first), and signing out. In
// each language, with JavaScript, every page audited (status, lang, weight, axe).
// Like flows.mjs, the checks look at where each form leads, at aria-invalid and at
// the markup, never at the wording.

import { execFileSync } from 'node:child_process';
import path from 'node:path';

const PASSWORD = 'Tlacolula-Verde#2026';
const NOBODY = 'PXNE660720HMCXTN06'; // valid, never enrolled by the browser test
const FOLIO = /IB\d{2}-[0-9A-Z]{4}-[0-9A-Z]{4}/;
const PAGE = { password: '/personal/contrasena', signIn: '/personal/entrar', person: '/personal/persona' };

// The wizard's first person (flows.mjs: homoclave 1, Oaxaca) and their home clinic
// (assigned on submit), or null after failing the check.
export function wizardPerson(t, who) {
    const stem = 'SABC560626MDFLRN1';
    const curp = stem + execFileSync(t.padron, ['curp', 'check-digit', stem], { encoding: 'utf8' }).trim();
    const clinic = execFileSync(
        'sqlite3',
        [
            path.join(t.dataDir, 'padron.db'),
            `SELECT h.clues FROM home_clinic h JOIN registration r ON r.id = h.registration
             WHERE r.curp = '${curp}' AND r.status = 1 ORDER BY h.id DESC LIMIT 1`,
        ],
        { encoding: 'utf8' },
    ).trim();
    if (/^[A-Z]{5}\d{6}$/.test(clinic)) return { curp, clinic };
    t.fail(`${who}: the wizard's person has a home clinic`, [`found "${clinic}"`]);
    return null;
}

// For each language: a staff account of role at unit (a CLUES, or { state: 'NN' } for
// a state's staff), its set-password code, and walk(s, email, code) in a fresh
// browser context.
export async function eachStaffMember(t, who, role, unit, prefix, walk) {
    const where = typeof unit === 'string' ? ['--unit', unit] : ['--state', unit.state];
    for (const lang of t.languages) {
        const email = `${prefix}-${lang.code}@salud.gob.mx`;
        const added = execFileSync(t.padron, ['staff', 'add', '--role', role, ...where, '--email', email, '--data', t.dataDir], {
            encoding: 'utf8',
        });
        const code = added.match(/[0-9A-Z]{4}(-[0-9A-Z]{4}){4}/)?.[0];
        const name = `${who} [${lang.code}]`;
        if (!code) {
            t.fail(`${name} padron staff add prints a code`, [added]);
            continue;
        }
        const s = { t, lang, name, ...(await t.open(lang)) };
        try {
            await walk(s, email, code);
        } catch (e) {
            t.fail(`${name} walk stopped`, [e.message.split('\n')[0]]);
        } finally {
            await s.context.close();
        }
    }
}

export async function staffFlow(t) {
    const person = wizardPerson(t, 'staff');
    if (!person) return;
    // The desk works at the person's home clinic.
    await eachStaffMember(t, 'staff', 'receptionist', person.clinic, 'recepcion', (s, email, code) =>
        walk(s, email, code, person.curp),
    );
}

async function walk(s, email, code, curp) {
    await arrive(s, await s.t.visit(s.page, PAGE.password), PAGE.password, 'staff-flow-password');
    await s.page.locator('[name="email"]').fill(email);
    await s.page.locator('[name="code"]').fill(code.toLowerCase());
    await s.page.locator('[name="password"]').fill(PASSWORD);
    await s.page.locator('[name="password2"]').fill(PASSWORD);
    await arrive(s, await send(s, '[name="password2"]'), PAGE.signIn, 'staff-flow-signed-in-password-set');

    await s.page.locator('[name="email"]').fill(email);
    await s.page.locator('[name="password"]').fill(`${PASSWORD}x`);
    await arrive(s, await send(s, '[name="password"]'), PAGE.signIn, 'staff-flow-sign-in-error', [401]);
    const summary = await s.page.locator('.summary[role="alert"]').count();
    check(s, 'a wrong password shows the error summary', summary === 1, `${summary} summary`);

    await s.page.locator('[name="email"]').fill(email);
    await s.page.locator('[name="password"]').fill(PASSWORD);
    await arrive(s, await send(s, '[name="password"]'), PAGE.person, 'staff-flow-person-empty');

    await s.page.locator('[name="curp"]').fill(NOBODY);
    await arrive(s, await send(s, '[name="curp"]'), PAGE.person, 'staff-flow-person-not-found', [404]);
    const invalid = await s.page.locator('#curp[aria-invalid="true"]').count();
    check(s, 'nobody enrolled: the CURP field is marked', invalid === 1, `${invalid} aria-invalid`);

    await s.page.locator('[name="curp"]').fill(curp.toLowerCase());
    await arrive(s, await send(s, '[name="curp"]'), PAGE.person, 'staff-flow-person');
    const text = await s.page.locator('main, body').first().innerText();
    check(s, 'the lookup shows the folio', FOLIO.test(text), 'no IB folio on the page');
    const photos = await s.page.locator(`img[src^="${PAGE.person}/"][src*="/documentos/"]`).count();
    check(s, 'and the photos a receptionist may see', photos === 3, `${photos} <img>`);
    const exposed = s.page.url().toUpperCase().includes(curp) ||
        (await s.page.locator(`img[src*="${curp}"]`).count()) > 0;
    check(s, 'the CURP is in neither the address nor a photo URL', !exposed, s.page.url());
    const loaded = await s.page.evaluate(() => [...document.images].every((i) => i.complete && i.naturalWidth > 0));
    check(s, 'the photos load', loaded, 'an image did not load');

    await arrive(s, await send(s, 'form[action="/personal/salir"] [name="csrf"]'), PAGE.signIn, 'staff-flow-signed-out');
    await s.t.visit(s.page, PAGE.person);
    const at = new URL(s.page.url()).pathname;
    check(s, 'signed out: the desk asks to sign in again', at === PAGE.signIn, `led to ${s.page.url()}`);
}

// The first password from the code, then signed in at the desk (its pages are
// audited by staffFlow).
export async function signInWithCode(s, email, code) {
    await s.t.visit(s.page, PAGE.password);
    await s.page.locator('[name="email"]').fill(email);
    await s.page.locator('[name="code"]').fill(code);
    await s.page.locator('[name="password"]').fill(PASSWORD);
    await s.page.locator('[name="password2"]').fill(PASSWORD);
    await send(s, '[name="password2"]');
    await s.page.locator('[name="email"]').fill(email);
    await s.page.locator('[name="password"]').fill(PASSWORD);
    await send(s, '[name="password"]');
    const at = new URL(s.page.url()).pathname;
    if (at === PAGE.signIn || at === PAGE.password) throw new Error(`signing in left the desk at ${s.page.url()}`);
    s.tracker.reset();
}

// The field (its id) is marked invalid, described by FIELD-error, and the error
// summary links to it.
export async function marked(s, field, what) {
    const n = await s.page.locator(`[id="${field}"][aria-invalid="true"][aria-describedby~="${field}-error"]`).count();
    const link = await s.page.locator(`[role="alert"] a[href="#${field}"]`).count();
    check(s, `${what}: the field is marked, described and linked`, n === 1 && link === 1, `${n} marked, ${link} links`);
}

export function send(s, selector) {
    return s.t.submit(s.page, s.page.locator(selector));
}

export function check(s, what, ok, detail) {
    if (ok) s.t.pass(`${s.name} ${what}`);
    else s.t.fail(`${s.name} ${what}`, [detail]);
}

// The page must be where; then it is audited like every page.
export async function arrive(s, res, where, shot, status = 200) {
    const at = new URL(s.page.url()).pathname;
    if (at !== where) throw new Error(`${where}: led to ${s.page.url()} with status ${res?.status()}`);
    await s.t.audit(s.page, s.tracker, res, { label: `staff ${shot}`, lang: s.lang, name: shot, status });
    s.tracker.reset();
}
