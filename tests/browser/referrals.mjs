// The referral page for staff in the browser: a physician at the home clinic of the
// wizard's person chooses a password with the code `padron staff add` prints, signs
// in and opens /personal/referencias (the diagnosis search, the form with the
// suggested level-2 units, the lists), then refers the person and sees the referral
// listed. In each language, every page audited (status, lang, weight, axe). Without
// an imported CIE-10 catalog the referral is refused with 503 at its field, which is
// what the browser server has: the check looks at where the form leads and at
// aria-invalid, never at the wording.

import { arrive, check, eachStaffMember, send, signInWithCode, wizardPerson } from './staff.mjs';

const PAGE = { referrals: '/personal/referencias' };

export async function referralsFlow(t) {
    const person = wizardPerson(t, 'referrals');
    if (!person) return;
    await eachStaffMember(t, 'referrals', 'physician', person.clinic, 'medica', (s, email, code) =>
        walk(s, email, code, person.curp),
    );
}

async function walk(s, email, code, curp) {
    await signInWithCode(s, email, code);

    await arrive(s, await s.t.visit(s.page, `${PAGE.referrals}?q=E11`), PAGE.referrals, 'referrals-page');
    const units = await s.page.locator('#to_unit option').count();
    check(s, 'the form offers suggested level-2 units', units > 0, `${units} options`);
    await s.page.locator('[name="person"]').fill(curp.toLowerCase());
    await s.page.locator('[name="cie10"]').fill('E11.9');
    await s.page.locator('[name="reason"]').fill('Glucosa alta persistente');
    const res = await send(s, '[name="reason"]');
    const status = res?.status();
    // 303 to the list when the catalog is imported; 503 at the cie10 field when not
    if (status === 503) {
        await arrive(s, res, PAGE.referrals, 'referrals-no-catalog', [503]);
        const marked = await s.page.locator('#cie10[aria-invalid="true"]').count();
        check(s, 'without the CIE-10 catalog the field says so', marked === 1, `${marked} aria-invalid`);
    } else {
        await arrive(s, res, PAGE.referrals, 'referrals-created');
        const listed = await s.page.locator('section h3').count();
        check(s, 'the referral is listed', listed > 0, `${listed} referrals`);
    }
}
