import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import type { MenuCommand } from '../../src-shared/bridge.js';
import { buildMenuTemplate } from './menu-template.js';

function flatten(items: readonly MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [
    item,
    ...(Array.isArray(item.submenu) ? flatten(item.submenu as MenuItemConstructorOptions[]) : []),
  ]);
}

function build(isPackaged: boolean, platform: NodeJS.Platform = 'linux') {
  const commands: MenuCommand[] = [];
  let abouts = 0;
  const template = buildMenuTemplate(
    { isPackaged, platform },
    { sendCommand: (c) => commands.push(c), showAbout: () => abouts++ },
  );
  const items = flatten(template);
  const click = (label: string): void => {
    const item = items.find((i) => i.label === label);
    if (item?.click === undefined) throw new Error(`no clickable item ${label}`);
    (item.click as () => void)();
  };
  return { template, items, commands, click, abouts: () => abouts };
}

const roles = (items: MenuItemConstructorOptions[]): unknown[] => items.map((i) => i.role);

describe('buildMenuTemplate', () => {
  it('has File, Edit, View and Help menus on Linux and Windows', () => {
    expect(build(true).template.map((m) => m.label)).toEqual(['&File', '&Edit', '&View', '&Help']);
  });

  it('sends import commands to the renderer and shows About', () => {
    const menu = build(true);
    menu.click('Import Files…');
    menu.click('Import Folder…');
    menu.click('About Neurosphere');
    expect(menu.commands).toEqual(['import-files', 'import-folder']);
    expect(menu.abouts()).toBe(1);
  });

  it('offers Quit and zoom in every build', () => {
    const items = build(true).items;
    expect(roles(items)).toEqual(
      expect.arrayContaining(['quit', 'zoomIn', 'zoomOut', 'resetZoom']),
    );
  });

  it('offers reload and developer tools only in development', () => {
    expect(roles(build(true).items)).not.toContain('reload');
    expect(roles(build(true).items)).not.toContain('toggleDevTools');
    expect(roles(build(false).items)).toEqual(expect.arrayContaining(['reload', 'toggleDevTools']));
  });

  it('puts Quit in the application menu on macOS', () => {
    const mac = build(true, 'darwin');
    expect(mac.template[0]?.label).toBe('Neurosphere');
    expect(roles(mac.items)).toContain('quit');
  });
});
