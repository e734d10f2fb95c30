// The emergency desk in the browser, /personal/urgencias: a receptionist of a
// level-2 hospital signs in and, in each language, is refused an encounter with a
// CURP whose check digit is wrong (at the CURP field, aria-invalid), opens one with
// the CURP of a person the wizard enrolled, one with a name only and one of an
// unidentified person described; sees them in the open list; identifies the
// unidentified one with a CURP nobody enrolled and discharges it, which shows the
// invitation to enroll. Every page audited (status, lang, weight, reflow, axe).
// The checks look at where each form leads and at the markup, never at the wording.

import { execFileSync } from 'node:child_process';

import { arrive, check, eachStaffMember, marked, send, signInWithCode } from './staff.mjs';

const HOSPITAL = 'OCIMB000881'; // HG Oaxaca "Dr. Aurelio Valdivieso": level 2, in operation
const PAGE = '/personal/urgencias';
const EVENT = '/personal/urgencias/evento'; // a change answers with the page at its own address
const ENCOUNTER = /^UR\d{2}-[0-9A-Z]{4}-[0-9A-Z]{4}$/;
// Per language: a person the wizard enrolled (its walk's homoclave), a CURP stem
// nobody enrolled, and what the desk types.
const CASES = {
    es: { enrolled: 'SABC560626MDFLRN1', nobody: 'PXNE660720HMCXTN0', name: 'Juan Pérez López',
        features: 'Tatuaje de un colibrí en el brazo izquierdo', found: 'Parada de autobús' },
    en: { enrolled: 'SABC560626MDFLRN3', nobody: 'PXNE660720HMCXTN1', name: 'John Doe',
        features: 'Hummingbird tattoo on the left arm', found: 'Bus stop' },
};

export async function emergencyFlow(t) {
    const curp = (stem) => stem + execFileSync(t.padron, ['curp', 'check-digit', stem], { encoding: 'utf8' }).trim();
    await eachStaffMember(t, 'emergency', 'receptionist', HOSPITAL, 'urgencias', async (s, email, code) => {
        const c = CASES[s.lang.code];
        await walk(s, email, code, { ...c, enrolled: curp(c.enrolled), nobody: curp(c.nobody) });
    });
}

async function walk(s, email, code, c) {
    const shot = (what) => `emergency-${what}`;
    await signInWithCode(s, email, code);
    await arrive(s, await s.t.visit(s.page, PAGE), PAGE, shot('page'));

    // A CURP with a wrong check digit: refused at the CURP field.
    const wrong = c.nobody.slice(0, 17) + String((Number(c.nobody[17]) + 1) % 10);
    await fillIntake(s, { triage: 'red', identity: 'curp', curp: wrong });
    await arrive(s, await send(s, '#curp'), PAGE, shot('refused'), [422]);
    await marked(s, 'curp', 'a wrong CURP');

    const withCurp = await open(s, { triage: 'orange', identity: 'curp', curp: c.enrolled.toLowerCase() }, shot('opened-curp'));
    const enrolled = await s.page.locator('[role="status"]').innerText();
    check(s, 'opened with a CURP: the enrolled person is linked', enrolled.includes(c.enrolled), enrolled);
    const named = await open(s, { triage: 'yellow', identity: 'name', name: c.name, sex: 'male', apparent_age: '40' },
        shot('opened-name'));
    const unknown = await open(s, { triage: 'red', identity: 'unidentified', features: c.features, found_where: c.found },
        shot('opened-unidentified'));

    for (const [what, id] of [['with a CURP', withCurp], ['by name', named], ['unidentified', unknown]]) {
        const listed = await row(s, id).count();
        check(s, `the open list has the encounter ${what}`, listed === 1, `${listed} sections for ${id}`);
    }

    // Identified with a wrong CURP first: refused at that encounter's own field.
    await row(s, unknown).locator('input[name="curp"]').fill(wrong);
    await arrive(s, await send(s, `section[aria-labelledby="e-${unknown}"] input[name="curp"]`), EVENT,
        shot('identify-refused'), [422]);
    await marked(s, `curp-${unknown}`, 'a wrong CURP to identify with');
    const intake = await s.page.locator('#curp[aria-invalid="true"]').count();
    check(s, 'and not the intake form\'s CURP field', intake === 0, `${intake} marked`);

    await row(s, unknown).locator('input[name="curp"]').fill(c.nobody);
    await arrive(s, await send(s, `section[aria-labelledby="e-${unknown}"] input[name="curp"]`), EVENT, shot('identified'));
    const identified = await row(s, unknown).innerText();
    check(s, 'the unidentified person is identified', identified.includes(c.nobody), identified);

    await arrive(s, await send(s, `section[aria-labelledby="e-${unknown}"] input[name="kind"][value="discharge"]`), EVENT,
        shot('discharged'));
    const invitation = s.page.locator('[role="status"]:has(h2)');
    check(s, 'discharged without an enrollment: the invitation to enroll', (await invitation.count()) === 1, 'no invitation');
    const asks = (await invitation.innerText().catch(() => '')).includes(c.nobody);
    check(s, 'the invitation names the CURP to type', asks, 'no CURP in the invitation');
    const gone = await row(s, unknown).count();
    check(s, 'the discharged encounter leaves the open list', gone === 0, `${gone} sections`);
}

// The open list's section of encounter id.
function row(s, id) {
    return s.page.locator(`section[aria-labelledby="e-${id}"]`);
}

// Fills the intake form: the triage and identity radios, the other fields by name.
async function fillIntake(s, fields) {
    const form = s.page.locator(`form[action="${PAGE}"]`);
    for (const [name, value] of Object.entries(fields)) {
        const field = form.locator(`[name="${name}"]`);
        if (name === 'triage' || name === 'identity') await form.locator(`[name="${name}"][value="${value}"]`).check();
        else if (name === 'sex') await field.selectOption(value);
        else await field.fill(value);
    }
}

// Opens an encounter; returns its id, shown in the notice.
async function open(s, fields, shot) {
    await fillIntake(s, fields);
    await arrive(s, await send(s, '#curp'), PAGE, shot);
    const id = (await s.page.locator('[role="status"] strong').first().innerText()).trim();
    if (!ENCOUNTER.test(id)) throw new Error(`${shot}: no encounter id in the notice, found "${id}"`);
    return id;
}
