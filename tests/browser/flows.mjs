// The registration wizard, walked as a person would with the plain HTML forms.
// The assertions hold whatever the wording: they look at the CURP field's
// aria-invalid and at the error element tied to it, never at the text.
//
// In each language, twice: with JavaScript (every page audited: status, lang,
// weight, axe) and without it (the forms must work on their own).

export const START = '/registro/curp';
export const VALID_CURP = 'SABC560626MDFLRN01';
export const INVALID_CURP = 'SABC560626MDFLRN09'; // check digit: expected 1, found 9

// Statuses a page that shows form errors may answer with.
const ERROR_STATUSES = [200, 400, 422];

export async function wizardFlow(t) {
    const probe = await fetch(new URL(START, t.url), { redirect: 'manual', signal: AbortSignal.timeout(15_000) });
    await probe.arrayBuffer();
    if (probe.status === 404) {
        t.skip('wizard', `GET ${START} answers 404: the wizard is not there yet`);
        return;
    }
    for (const lang of t.languages) {
        for (const javaScript of [true, false]) {
            await validCurp(t, lang, javaScript);
            await invalidCurp(t, lang, javaScript);
        }
    }
}

function label(step, javaScript) {
    return `wizard ${step}${javaScript ? '' : ' (no JS)'}`;
}

// Opens the first step in the session's page and returns the CURP field, or null.
async function firstStep(t, session, lang, javaScript, step) {
    const res = await t.visit(session.page, START);
    // The first step is audited once per language, on the way to the valid CURP.
    if (javaScript && step === 'valid CURP')
        await t.audit(session.page, session.tracker, res, { label: START, lang, name: 'registro-curp' });
    else if (res?.status() !== 200)
        t.fail(`${label(step, javaScript)} [${lang.code}] opens`, [`GET ${START}: ${res?.status()}`]);
    const field = session.page.locator('input[name="curp"]');
    const n = await field.count();
    if (n !== 1) {
        t.fail(`${label(step, javaScript)} [${lang.code}] CURP field`, [
            `expected one input[name="curp"] on ${START}, found ${n}`,
        ]);
        return null;
    }
    session.tracker.reset();
    return field;
}

async function validCurp(t, lang, javaScript) {
    const step = 'valid CURP';
    const where = `${label(step, javaScript)} [${lang.code}]`;
    const session = await t.open(lang, { javaScript });
    const { context, page, tracker } = session;
    try {
        const field = await firstStep(t, session, lang, javaScript, step);
        if (!field) return;
        await field.fill(VALID_CURP);
        const res = await t.submit(page, field);
        if (javaScript)
            await t.audit(page, tracker, res, { label: `${START} → ${VALID_CURP}`, lang, name: 'registro-curp-valid' });
        else if (!res || res.status() >= 400) t.fail(`${where} next page`, [`status ${res?.status()} at ${page.url()}`]);
        const invalid = await page.locator('[aria-invalid="true"]').count();
        if (invalid === 0) t.pass(`${where} accepted`, `now at ${new URL(page.url()).pathname}`);
        else t.fail(`${where} accepted`, [`${invalid} field(s) marked aria-invalid="true" at ${page.url()}`]);
    } catch (e) {
        t.fail(where, [e.message.split('\n')[0]]);
    } finally {
        await context.close();
    }
}

async function invalidCurp(t, lang, javaScript) {
    const step = 'invalid CURP';
    const where = `${label(step, javaScript)} [${lang.code}]`;
    const session = await t.open(lang, { javaScript });
    const { context, page, tracker } = session;
    try {
        const field = await firstStep(t, session, lang, javaScript, step);
        if (!field) return;
        await field.fill(INVALID_CURP);
        const res = await t.submit(page, field);
        if (javaScript)
            await t.audit(page, tracker, res, {
                label: `${START} → ${INVALID_CURP}`,
                lang,
                name: 'registro-curp-error',
                status: ERROR_STATUSES,
            });
        else if (!res || !ERROR_STATUSES.includes(res.status()))
            t.fail(`${where} answer`, [`status ${res?.status()} at ${page.url()}`]);

        const again = page.locator('input[name="curp"]');
        if ((await again.count()) !== 1) {
            t.fail(`${where} form shown again`, [`expected the CURP field again at ${page.url()}`]);
            return;
        }
        const ariaInvalid = await again.getAttribute('aria-invalid');
        if (ariaInvalid === 'true') t.pass(`${where} field aria-invalid`);
        else t.fail(`${where} field aria-invalid`, [`aria-invalid is ${ariaInvalid === null ? 'absent' : `"${ariaInvalid}"`}`]);

        const linked = await errorLinks(page, again);
        if (linked.length) t.pass(`${where} error shown and linked`, linked.join('; '));
        else
            t.fail(`${where} error shown and linked`, [
                'no visible, non-empty element named by the field\'s aria-describedby, ' +
                    'and no visible error-summary link to the field (a[href="#ID"])',
            ]);

        const kept = await again.inputValue();
        if (kept.toUpperCase() === INVALID_CURP) t.pass(`${where} keeps what was typed`);
        else t.fail(`${where} keeps what was typed`, [`the field holds "${kept}"`]);
    } catch (e) {
        t.fail(where, [e.message.split('\n')[0]]);
    } finally {
        await context.close();
    }
}

// How the error is tied to the field: each visible, non-empty element that the
// field's aria-describedby names, and each visible link to the field's id.
async function errorLinks(page, field) {
    const found = [];
    const describedBy = ((await field.getAttribute('aria-describedby')) ?? '').split(/\s+/).filter(Boolean);
    for (const id of describedBy) {
        const el = page.locator(`[id="${cssString(id)}"]`).first();
        if ((await el.count()) && (await el.isVisible()) && (await el.innerText()).trim())
            found.push(`aria-describedby → #${id}`);
    }
    const fieldId = await field.getAttribute('id');
    if (fieldId) {
        const summary = page.locator(`a[href="#${cssString(fieldId)}"]`);
        for (let i = 0; i < (await summary.count()); i++) {
            if ((await summary.nth(i).isVisible()) && (await summary.nth(i).innerText()).trim()) {
                found.push(`error summary link → #${fieldId}`);
                break;
            }
        }
    }
    return found;
}

function cssString(s) {
    return s.replace(/["\\]/g, '\\$&');
}
