import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makePng } from '../../test-support/image-fixtures.js';
import { addUser, setupAdmin, startTestCore, type TestCore } from '../../test-support/test-core.js';

describe('clinic letterhead settings', () => {
  let t: TestCore;
  let admin: string;
  beforeEach(async () => {
    t = startTestCore();
    admin = await setupAdmin(t);
  });
  afterEach(() => t.dispose());

  it('starts empty, is changed by an admin only (audited) and keeps what is not changed', async () => {
    expect(await t.ok('clinic.get', {}, admin)).toEqual({
      name: '',
      address: '',
      logoBase64: null,
    });
    const radiologist = (await addUser(t, admin, 'rad', 'radiologist')).token;
    expect((await t.fail('clinic.update', { name: 'X' }, radiologist)).code).toBe(
      'PERMISSION_DENIED',
    );
    const logo = makePng(8, 8).toString('base64');
    await t.ok('clinic.update', { name: '  Klinika Świętokrzyska ', logoBase64: logo }, admin);
    expect(await t.ok('clinic.update', { address: 'ul. Żeromskiego 5' }, admin)).toEqual({
      name: 'Klinika Świętokrzyska',
      address: 'ul. Żeromskiego 5',
      logoBase64: logo,
    });
    expect((await t.ok('clinic.get', {}, radiologist)).name).toBe('Klinika Świętokrzyska');
    expect(t.core.audit.list(10).find((e) => e.action === 'clinic.update')?.details).toEqual({
      fields: ['address'],
    });
    expect((await t.ok('clinic.update', { logoBase64: null }, admin)).logoBase64).toBeNull();
  });

  it('takes only a PNG or JPEG logo of at most 512 KB', async () => {
    const notAPicture = Buffer.from('%PDF-1.7 not a picture').toString('base64');
    expect(await t.fail('clinic.update', { logoBase64: notAPicture }, admin)).toMatchObject({
      code: 'UNSUPPORTED_FORMAT',
      message: 'The logo must be a PNG or JPEG picture.',
    });
    const huge = Buffer.alloc(600 * 1024, 1).toString('base64');
    expect((await t.fail('clinic.update', { logoBase64: huge }, admin)).code).toBe('INVALID_INPUT');
    // A JPEG signature with nothing behind it would break every report: refused.
    const truncated = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]).toString('base64');
    expect(await t.fail('clinic.update', { logoBase64: truncated }, admin)).toMatchObject({
      code: 'CORRUPT_FILE',
      message: expect.stringMatching(/^The logo cannot be read as a picture/),
    });
    expect((await t.ok('clinic.get', {}, admin)).logoBase64).toBeNull();
  });
});
