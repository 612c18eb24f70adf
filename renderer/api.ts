import type { DesktopBridge } from '../shared/bridge';
import type { Host } from './host';
import { desktopHost } from './hosts/desktop';
import { localServerHost } from './hosts/local-server';
import { withNotices } from './notices';

export type { CallOptions, Host } from './host';

const bridge = (window as { cupo?: DesktopBridge }).cupo;

/**
 * The renderer's only way to the engine: the desktop app's preload when there is one, else the browser mode's
 * local server. Screens never know which. In browser mode the page itself tells the new serious alerts (a
 * banner); the desktop app's main process tells them as system notifications.
 */
export const api: Host = bridge ? desktopHost(bridge) : withNotices(localServerHost);
