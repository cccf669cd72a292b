import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freePort } from '../../test-support/orthanc.js';
import { setupAdmin, startTestCore, type TestCore } from '../../test-support/test-core.js';

/** The settings screen's calls: saving starts and stops the listener, "Test connection" echoes. */
describe('the DICOM node settings in the node process', () => {
  let t: TestCore;
  let admin: string;
  beforeEach(async () => {
    t = startTestCore({ startDicomNode: true });
    admin = await setupAdmin(t);
  });
  afterEach(() => t.dispose());

  it('starts the listener when enabled is saved, echoes itself, and stops when disabled', async () => {
    const port = await freePort();
    const before = await t.ok('dicom.node.get', {}, admin);
    expect(before.status).toMatchObject({ listening: false, port: null });
    const node = {
      ...before.node,
      enabled: true,
      aeTitle: 'NS_TEST',
      port,
      bindAddress: '127.0.0.1',
      allowedCallers: ['NS_TEST'],
    };
    await t.ok('dicom.node.update', node, admin);
    expect((await t.ok('dicom.node.get', {}, admin)).status).toMatchObject({
      listening: true,
      port,
      error: null,
    });
    await t.ok(
      'dicom.destinations.save',
      { id: 'self', name: 'This node', aeTitle: 'NS_TEST', host: '127.0.0.1', port },
      admin,
    );
    const echo = await t.ok('dicom.echo', { destinationId: 'self' }, admin);
    expect(echo.ms).toBeGreaterThanOrEqual(0);

    // A caller not in the allowed list is refused: our calling AE is the node's own title.
    await t.ok('dicom.node.update', { ...node, allowedCallers: ['MODALITY1'] }, admin);
    expect((await t.ok('dicom.node.get', {}, admin)).status.listening).toBe(true);
    expect((await t.fail('dicom.echo', { destinationId: 'self' }, admin)).message).toMatch(
      /refused|reject/i,
    );

    await t.ok('dicom.node.update', { ...node, enabled: false }, admin);
    expect((await t.ok('dicom.node.get', {}, admin)).status).toMatchObject({
      listening: false,
      error: null,
    });
    expect((await t.fail('dicom.echo', { destinationId: 'self' }, admin)).code).toBe(
      'REMOTE_UNREACHABLE',
    );
  });

  it('keeps the settings and says why when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      const { node } = await t.ok('dicom.node.get', {}, admin);
      await t.ok(
        'dicom.node.update',
        { ...node, enabled: true, port, bindAddress: '127.0.0.1' },
        admin,
      );
      const after = await t.ok('dicom.node.get', {}, admin);
      expect(after.node).toMatchObject({ enabled: true, port });
      expect(after.status.listening).toBe(false);
      expect(after.status.error).toMatch(new RegExp(`Port ${port} is in use`));
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });
});
