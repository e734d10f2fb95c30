// Enrollment at the desk in the browser, /personal/inscripcion: a receptionist of
// the wizard's clinic signs in and, in each language, types a CURP with a wrong
// check digit (refused at the CURP field), then a CURP of their own, and fills
// the application's sections on its page: the names (first with a surname the CURP
// does not start with, refused at its field), the state and the privacy notice
// read at the desk (no email: the folio is printed), the check of the original
// ID, the address, the three photos (real PNGs from png.mjs), and submits it: the
// page shows the folio and the link to the credential, which is a PDF. Every page
// audited (status, lang, weight, reflow, axe). The checks look at where each form
// leads and at the markup, never at the wording.

import { execFileSync } from 'node:child_process';

import { gradientPng } from './png.mjs';
import { arrive, check, eachStaffMember, marked, send, signInWithCode, wizardPerson } from './staff.mjs';

const START = '/personal/inscripcion';
// The wizard's stem and names (flows.mjs); its walks use homoclaves 1 to 4.
const CURP_STEM = 'SABC560626MDFLRN';
const HOMOCLAVE = { es: '5', en: '6' };
const NAMES = { given_names: 'Concepción', first_surname: 'Salgado', second_surname: 'Briseño' };
const STATE = '20'; // Oaxaca
const ADDRESS = { postal_code: '70400', municipality: '551', settlement: 'Centro', street: 'Juárez', number: '3' };
const PHOTO = { name: 'foto.png', mimeType: 'image/png', buffer: gradientPng(640, 480) };
const FOLIO = /IB\d{2}-[0-9A-Z]{4}-[0-9A-Z]{4}/;

export async function assistedFlow(t) {
    const person = wizardPerson(t, 'assisted');
    if (!person) return;
    await eachStaffMember(t, 'assisted', 'receptionist', person.clinic, 'inscribe', async (s, email, code) => {
        const stem = CURP_STEM + HOMOCLAVE[s.lang.code];
        const curp = stem + execFileSync(t.padron, ['curp', 'check-digit', stem], { encoding: 'utf8' }).trim();
        await walk(s, email, code, curp);
    });
}

async function walk(s, email, code, curp) {
    const shot = (what) => `assisted-${what}`;
    await signInWithCode(s, email, code);
    await arrive(s, await s.t.visit(s.page, START), START, shot('start'));

    const wrong = curp.slice(0, 17) + String((Number(curp[17]) + 1) % 10);
    await s.page.locator('#curp').fill(wrong);
    await arrive(s, await send(s, '#curp'), START, shot('start-refused'), [422]);
    await marked(s, 'curp', 'a wrong CURP');
    const kept = await s.page.locator('#curp').inputValue();
    check(s, 'the CURP typed is still there', kept === wrong, `"${kept}"`);

    await s.page.locator('#curp').fill(curp.toLowerCase());
    const res = await send(s, '#curp');
    const here = new URL(s.page.url()).pathname;
    if (!/^\/personal\/inscripcion\/[^/]+$/.test(here)) throw new Error(`the CURP led to ${s.page.url()}`);
    check(s, 'the CURP is not in the address', !here.toUpperCase().includes(curp), here);
    await arrive(s, res, here, shot('application'));
    const missing = await s.page.locator('#missing + ul li').count();
    check(s, 'a new application lists what is missing', missing > 0, `${missing} items`);

    // An accepted step leads back to the application; a refused one answers at its form's address.
    const step = async (field, what) => arrive(s, await send(s, field), here, shot(what));
    await fill(s, { ...NAMES, first_surname: 'Pérez' });
    await arrive(s, await send(s, '#given_names'), `${here}/nombre`, shot('names-refused'), [422]);
    await marked(s, 'first_surname', 'a surname the CURP does not start with');
    await fill(s, NAMES);
    await step('#given_names', 'names');

    await s.page.locator('#state').selectOption(STATE);
    await s.page.locator('#privacy_notice_version').check();
    await step('#state', 'contact');
    const pending = await s.page.locator('#code').count();
    check(s, 'without an email no code is asked for', pending === 0, `${pending} code fields`);

    await s.page.locator('#checked_id_type').check();
    await step('#checked_id_type', 'id-checked');

    await s.page.locator('#address_state').selectOption(STATE);
    await fill(s, ADDRESS);
    await step('#street', 'address');

    for (const kind of ['id_front', 'id_back', 'face']) {
        await s.page.locator(`#photo-${kind}`).setInputFiles(PHOTO);
        await step(`#photo-${kind}`, `photo-${kind}`);
    }
    const received = await s.page.locator('label[for^="photo-"]:has-text("✓")').count();
    check(s, 'the three photos are received', received === 3, `${received} received`);

    await step(`form[action$="/enviar"] [name="csrf"]`, 'submitted');
    const folio = (await s.page.locator('main, body').first().innerText()).match(FOLIO)?.[0];
    check(s, 'the submitted application shows its folio', Boolean(folio) && (await s.page.locator('#done').count()) === 1,
        'no folio or no active heading');
    const pdf = s.page.locator('a[href$="/credencial.pdf"]');
    check(s, 'and the link to print the credential', (await pdf.count()) === 1, 'no link');
    const card = await s.page.request.get(await pdf.getAttribute('href'));
    const type = card.headers()['content-type'] ?? '';
    check(s, 'the credential is a PDF', card.status() === 200 && type.startsWith('application/pdf'),
        `${card.status()} ${type}`);
}

async function fill(s, fields) {
    for (const [name, value] of Object.entries(fields)) await s.page.locator(`#${name}`).fill(value);
}
