import { Notification } from 'electron';
import type { Notifier } from '../engine/host/notices';

/**
 * New critical and high alerts as the system's notifications, from the main process: the app's name and the
 * severity as the title, the alert's sentence as the body. Clicking one brings the window forward. Where the
 * system has no notifications (some Linux desktops) nothing is shown: the home screen lists the alert anyway.
 */
export function electronNotifier(onClick?: () => void): Notifier {
  return {
    notify: ({ title, body }) => {
      if (!Notification.isSupported()) return;
      const notification = new Notification({ title, body, silent: false });
      if (onClick) notification.on('click', onClick);
      notification.show();
    },
  };
}
