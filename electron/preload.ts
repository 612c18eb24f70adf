import type { IpcRendererEvent } from 'electron';
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { DesktopBridge, DesktopOperations } from '../shared/bridge';
import { channelOf } from '../shared/bridge';
import type { Method, ProgressEvent } from '../shared/contract';

/**
 * The renderer's only reach into the desktop: one method per operation of the contract, each on its own
 * channel, and nothing else of Electron or Node. The main process checks every message again.
 */
function operation<M extends Method>(method: M): DesktopOperations[M] {
  return ((args: unknown, callId: number) => ipcRenderer.invoke(channelOf(method), args, callId)) as DesktopOperations[M];
}

const bridge: DesktopBridge = {
  status: operation('status'),
  previewFile: operation('previewFile'),
  importFiles: operation('importFiles'),
  loadDemo: operation('loadDemo'),
  train: operation('train'),
  backtest: operation('backtest'),
  forecast: operation('forecast'),
  lastForecast: operation('lastForecast'),
  exportForecast: operation('exportForecast'),
  report: operation('report'),
  accuracy: operation('accuracy'),
  history: operation('history'),
  snapshots: operation('snapshots'),
  models: operation('models'),
  promote: operation('promote'),
  rollback: operation('rollback'),
  audit: operation('audit'),
  backup: operation('backup'),
  restore: operation('restore'),
  runInbox: operation('runInbox'),
  drift: operation('drift'),
  checkDrift: operation('checkDrift'),
  alerts: operation('alerts'),
  acknowledgeAlert: operation('acknowledgeAlert'),
  resolveAlert: operation('resolveAlert'),
  reopenSnapshot: operation('reopenSnapshot'),
  setAsideSnapshot: operation('setAsideSnapshot'),
  restoreSnapshot: operation('restoreSnapshot'),
  mappings: operation('mappings'),
  saveMapping: operation('saveMapping'),
  deleteMapping: operation('deleteMapping'),
  overrideForecast: operation('overrideForecast'),
  getSettings: operation('getSettings'),
  saveSettings: operation('saveSettings'),
  cancel: (callId) => void ipcRenderer.invoke(channelOf('cancel'), callId),
  onProgress: (listener) => {
    const forward = (_event: IpcRendererEvent, callId: number, event: ProgressEvent) => listener(callId, event);
    ipcRenderer.on(channelOf('progress'), forward);
    return () => void ipcRenderer.removeListener(channelOf('progress'), forward);
  },
  // The path of a file the user picked or dropped is known only here, never to the page.
  addFile: (file) => ipcRenderer.invoke(channelOf('addFile'), webUtils.getPathForFile(file)),
  saveExport: (exportId, fileName) => ipcRenderer.invoke(channelOf('saveExport'), exportId, fileName),
};

contextBridge.exposeInMainWorld('cupo', bridge);
