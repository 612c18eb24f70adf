import type { DesktopBridge } from '../shared/bridge';
import type { Host } from './host';
import { desktopHost } from './hosts/desktop';
import { localServerHost } from './hosts/local-server';

export type { CallOptions, Host } from './host';

const bridge = (window as { cupo?: DesktopBridge }).cupo;

/**
 * The renderer's only way to the engine: the desktop app's preload when there is one, else the browser mode's
 * local server. Screens never know which.
 */
export const api: Host = bridge ? desktopHost(bridge) : localServerHost;
