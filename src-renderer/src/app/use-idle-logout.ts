import { useEffect, useRef, useState } from 'react';
import { useApi } from '../api/api-context.js';
import { useTabSession } from '../api/tab-session-context.js';
import { idlePhase, shouldKeepAlive, type IdlePhase } from './idle.js';

const ACTIVITY_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'] as const;
const TICK_MS = 1_000;

/**
 * Logs off after `timeoutSeconds` without keyboard or pointer activity, with a warning in the last
 * minute. While the user is active, a light call now and then keeps the core's session alive even
 * when the screen makes no calls (reading one image for a long time).
 */
export function useIdleLogout(timeoutSeconds: number, onIdle: () => void): IdlePhase {
  const api = useApi();
  const tabs = useTabSession();
  const lastActivity = useRef(Date.now());
  const lastKeepAlive = useRef(Date.now());
  const onIdleRef = useRef(onIdle);
  onIdleRef.current = onIdle;
  const [phase, setPhase] = useState<IdlePhase>(() =>
    idlePhase(Date.now(), Date.now(), timeoutSeconds * 1000),
  );

  useEffect(() => {
    const timeoutMs = timeoutSeconds * 1000;
    const markActive = (): void => {
      lastActivity.current = Date.now();
      // The other tabs share this session: they must not log it off while the user works here.
      tabs?.announceActivity();
    };
    const stopHearing = tabs?.onActivity(() => {
      lastActivity.current = Date.now();
    });
    for (const name of ACTIVITY_EVENTS)
      window.addEventListener(name, markActive, { passive: true, capture: true });
    let hasExpired = false;
    const tick = (): void => {
      const now = Date.now();
      const next = idlePhase(now, lastActivity.current, timeoutMs);
      // Re-render only on a change of phase or, while warning, once per second for the countdown.
      setPhase((current) =>
        current.kind === next.kind && next.kind === 'active' ? current : next,
      );
      if (next.kind === 'expired' && !hasExpired) {
        hasExpired = true;
        onIdleRef.current();
        return;
      }
      if (shouldKeepAlive(now, lastActivity.current, lastKeepAlive.current)) {
        lastKeepAlive.current = now;
        api.call('auth.whoami', {}).catch(() => undefined);
      }
    };
    const timer = setInterval(tick, TICK_MS);
    return () => {
      clearInterval(timer);
      stopHearing?.();
      for (const name of ACTIVITY_EVENTS)
        window.removeEventListener(name, markActive, { capture: true });
    };
  }, [api, tabs, timeoutSeconds]);

  return phase;
}
