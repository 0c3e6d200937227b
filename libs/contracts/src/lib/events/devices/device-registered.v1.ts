import { DeviceRecordValue } from './device-record.value';

/** `device.registered.v1`: a device entered the catalogue. */
export class DeviceRegisteredV1 extends DeviceRecordValue {}
