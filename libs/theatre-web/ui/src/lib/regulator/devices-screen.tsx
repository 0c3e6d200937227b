import { useState } from 'react';

import { ApiProblem, servicePath } from '../api/api-client';
import type { ImportReport } from '../api/api.types';
import { useServices } from '../shell/services.context';

const MRI = ['unknown', 'safe', 'conditional', 'unsafe'] as const;

function messageOf(error: unknown): string {
  if (error instanceof ApiProblem && error.fieldErrors.length > 0) {
    return `${error.message}: ${error.fieldErrors.map((problem) => `${problem.field} ${problem.message}`).join('; ')}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Register one device, or import the catalogue file (GUDID pipe-delimited or CSV). */
export function DevicesScreen() {
  const { api } = useServices();
  const [form, setForm] = useState({
    deviceIdentifier: '',
    manufacturer: '',
    brand: '',
    model: '',
    catalogNumber: '',
    mriSafety: 'unknown' as (typeof MRI)[number],
    lot: true,
    serial: true,
    expiry: true,
    manufacture: false,
  });
  const [registered, setRegistered] = useState<string | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const [progress, setProgress] = useState<number | undefined>();
  const [report, setReport] = useState<ImportReport | undefined>();
  const [importProblem, setImportProblem] = useState<string | undefined>();

  const text = (
    key: 'deviceIdentifier' | 'manufacturer' | 'brand' | 'model' | 'catalogNumber',
    label: string,
  ) => (
    <div className="field">
      <label htmlFor={`device-${key}`}>{label}</label>
      <input
        id={`device-${key}`}
        className="input"
        value={form[key]}
        onChange={(event) => setForm({ ...form, [key]: event.target.value })}
      />
    </div>
  );
  const flag = (key: 'lot' | 'serial' | 'expiry' | 'manufacture', label: string) => (
    <label className="checkbox">
      <input
        type="checkbox"
        checked={form[key]}
        onChange={(event) => setForm({ ...form, [key]: event.target.checked })}
      />
      {label}
    </label>
  );

  const register = async () => {
    setProblem(undefined);
    setRegistered(undefined);
    try {
      const device = await api.call<{ deviceId: string }>(
        servicePath('device-registry', '/v1/devices'),
        {
          body: {
            identifiers: [
              {
                deviceIdentifier: form.deviceIdentifier.trim(),
                issuingAgency: 'GS1',
                type: 'primary',
              },
            ],
            manufacturer: form.manufacturer.trim(),
            brand: form.brand.trim(),
            ...(form.model.trim() === '' ? {} : { model: form.model.trim() }),
            ...(form.catalogNumber.trim() === ''
              ? {}
              : { catalogNumber: form.catalogNumber.trim() }),
            implantable: true,
            mriSafety: form.mriSafety,
            labelCarries: {
              lotNumber: form.lot,
              serialNumber: form.serial,
              expirationDate: form.expiry,
              manufactureDate: form.manufacture,
            },
          },
        },
      );
      setRegistered(device.deviceId);
    } catch (error) {
      setProblem(messageOf(error));
    }
  };

  const importFile = async (file: File) => {
    setReport(undefined);
    setImportProblem(undefined);
    setProgress(0);
    try {
      setReport(
        await api.upload<ImportReport>(
          servicePath('device-registry', '/v1/devices/import'),
          file,
          file.name.endsWith('.csv') ? 'text/csv' : 'text/plain',
          setProgress,
        ),
      );
    } catch (error) {
      setImportProblem(messageOf(error));
    }
  };

  return (
    <main className="page">
      <h1>Devices</h1>
      <div className="columns">
        <section className="panel" aria-labelledby="register-heading">
          <h2 id="register-heading">Register a device</h2>
          <form
            onSubmit={(event) => {
              event.preventDefault();
              void register();
            }}
          >
            {text('deviceIdentifier', 'Primary device identifier (GTIN-14)')}
            {text('manufacturer', 'Manufacturer')}
            {text('brand', 'Brand')}
            {text('model', 'Model')}
            {text('catalogNumber', 'Catalogue number (REF)')}
            <div className="field">
              <label htmlFor="device-mri">MRI safety</label>
              <select
                id="device-mri"
                className="input"
                value={form.mriSafety}
                onChange={(event) =>
                  setForm({ ...form, mriSafety: event.target.value as (typeof MRI)[number] })
                }
              >
                {MRI.map((value) => (
                  <option key={value}>{value}</option>
                ))}
              </select>
            </div>
            <fieldset>
              <legend>The label carries</legend>
              {flag('lot', 'Lot number')}
              {flag('serial', 'Serial number')}
              {flag('expiry', 'Expiry date')}
              {flag('manufacture', 'Manufacture date')}
            </fieldset>
            <button type="submit" className="button">
              Register device
            </button>
          </form>
          {registered !== undefined && <p role="status">Registered: device {registered}</p>}
          {problem !== undefined && (
            <p role="alert" className="hint hint--error">
              {problem}
            </p>
          )}
        </section>
        <section className="panel" aria-labelledby="import-heading">
          <h2 id="import-heading">Import a catalogue file</h2>
          <div className="field">
            <label htmlFor="import-file">GUDID pipe-delimited or CSV file</label>
            <input
              id="import-file"
              type="file"
              accept=".csv,.txt,text/csv,text/plain"
              onChange={(event) => {
                const file = event.target.files?.[0];
                if (file !== undefined) void importFile(file);
              }}
            />
          </div>
          {progress !== undefined && (
            <div>
              <label htmlFor="import-progress">Upload</label>
              <progress id="import-progress" max={1} value={progress}>
                {Math.round(progress * 100)}%
              </progress>
            </div>
          )}
          {importProblem !== undefined && (
            <p role="alert" className="hint hint--error">
              {importProblem}
            </p>
          )}
          {report !== undefined && (
            <div role="status">
              <p data-testid="import-counts">
                {report.rows} rows: {report.created} created, {report.updated} updated,{' '}
                {report.unchanged} unchanged, {report.rejected} rejected
              </p>
              {report.rejections.length > 0 && (
                <table className="table">
                  <caption>
                    Rejected rows{report.rejectionsTruncated ? ' (the first ones)' : ''}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Line</th>
                      <th scope="col">Reason</th>
                    </tr>
                  </thead>
                  <tbody>
                    {report.rejections.map((rejection) => (
                      <tr key={rejection.line}>
                        <td>{rejection.line}</td>
                        <td>{rejection.reason}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </div>
          )}
        </section>
      </div>
    </main>
  );
}
