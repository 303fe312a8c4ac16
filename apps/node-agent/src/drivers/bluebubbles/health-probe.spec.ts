import { describe, expect, it } from 'vitest';
import { healthFromServerInfo } from './health-probe.js';

const info = {
  os_version: '26.0',
  server_version: '1.9.9',
  private_api: true,
  helper_connected: true,
  detected_icloud: 'me@icloud.com',
  detected_imessage: '+15550000000',
  macos_time_sync: 0.4,
};

describe('healthFromServerInfo', () => {
  it('is healthy with the helper up, signed in and the clock in sync', () => {
    expect(healthFromServerInfo(info, 'private-api')).toEqual({
      healthy: true,
      messagesAppRunning: true,
      problems: [],
      signals: {
        bridgeReachable: true,
        privateApi: true,
        helperConnected: true,
        icloudSignedIn: true,
        imessageSignedIn: true,
        clockDriftSeconds: 0.4,
        serverVersion: '1.9.9',
        osVersion: '26.0',
      },
    });
  });

  it('reads empty detected_* strings as signed out and a 5 s drift as a problem', () => {
    const health = healthFromServerInfo({ ...info, detected_icloud: '', detected_imessage: '', macos_time_sync: -5 }, 'private-api');
    expect(health.problems).toEqual(['icloud signed out', 'imessage signed out', 'clock drift -5 s']);
    expect(health.signals).toMatchObject({ icloudSignedIn: false, imessageSignedIn: false });
  });

  it('needs the helper only when the private API is in use', () => {
    const noPrivateApi = { ...info, private_api: false, helper_connected: false };
    expect(healthFromServerInfo(noPrivateApi, 'apple-script')).toMatchObject({ healthy: true, messagesAppRunning: true });
    expect(healthFromServerInfo(noPrivateApi, 'private-api')).toMatchObject({
      healthy: false,
      messagesAppRunning: false,
      problems: ['private api helper not connected'],
    });
  });

  it('leaves out what the server did not report', () => {
    expect(healthFromServerInfo({ detected_imessage: 'x' }, 'apple-script').signals).toEqual({
      bridgeReachable: true,
      imessageSignedIn: true,
    });
  });
});
