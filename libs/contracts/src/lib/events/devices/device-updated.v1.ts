import { DeviceRecordValue } from './device-record.value';

/** `device.updated.v1`: any change to a device; carries the whole record after the change. */
export class DeviceUpdatedV1 extends DeviceRecordValue {}
