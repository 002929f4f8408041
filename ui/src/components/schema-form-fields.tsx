import type { FormField, FormValues } from "../logic/schema-form";

interface Props {
  fields: readonly FormField[];
  values: FormValues;
  problems: Record<string, string>;
  onChange(path: string, value: FormValues[string]): void;
  /** Keeps ids unique when two forms are on one page. */
  idPrefix: string;
}

/** Inputs for fields generated from a JSON Schema: each labelled, its description and problem tied to it. */
export function SchemaFormFields({ fields, values, problems, onChange, idPrefix }: Props) {
  return (
    <>
      {fields.map((field) => (
        <SchemaField key={field.path} field={field} values={values} problems={problems} onChange={onChange} idPrefix={idPrefix} />
      ))}
    </>
  );
}

function SchemaField({ field, values, problems, onChange, idPrefix }: { field: FormField } & Omit<Props, "fields">) {
  const id = `${idPrefix}-${field.path.replace(/[^A-Za-z0-9_-]/g, "-")}`;
  const problem = problems[field.path];
  const describedBy = [field.description ? `${id}-help` : "", problem ? `${id}-problem` : ""].filter(Boolean).join(" ") || undefined;
  const label = `${field.name}${field.required ? " (required)" : ""}`;
  const help = field.description ? (
    <span id={`${id}-help`} className="help">
      {field.description}
    </span>
  ) : null;
  const problemText = problem ? (
    <span id={`${id}-problem`} className="problem" role="alert">
      {field.name}: {problem}
    </span>
  ) : null;
  const value = values[field.path];

  if (field.kind === "group") {
    return (
      <fieldset className="group">
        <legend>{label}</legend>
        {help}
        <SchemaFormFields fields={field.fields ?? []} values={values} problems={problems} onChange={onChange} idPrefix={idPrefix} />
      </fieldset>
    );
  }
  if (field.kind === "choices") {
    const chosen = Array.isArray(value) ? value : [];
    return (
      <fieldset className="choices">
        <legend>{label}</legend>
        {help}
        {(field.options ?? []).map((option) => (
          <label key={option}>
            <input type="checkbox" checked={chosen.includes(option)} onChange={(e) => onChange(field.path, e.target.checked ? [...chosen, option] : chosen.filter((c) => c !== option))} /> {option}
          </label>
        ))}
        {problemText}
      </fieldset>
    );
  }
  let input;
  switch (field.kind) {
    case "boolean":
      input = (
        <select id={id} aria-describedby={describedBy} value={value === true ? "true" : value === false ? "false" : ""} onChange={(e) => onChange(field.path, e.target.value === "" ? undefined : e.target.value === "true")}>
          <option value="">(not set)</option>
          <option value="true">true</option>
          <option value="false">false</option>
        </select>
      );
      break;
    case "choice":
      input = (
        <select id={id} aria-describedby={describedBy} aria-invalid={problem ? true : undefined} value={typeof value === "string" ? value : ""} onChange={(e) => onChange(field.path, e.target.value || undefined)}>
          <option value="">(not set)</option>
          {(field.options ?? []).map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      );
      break;
    case "json":
      input = <textarea id={id} rows={3} aria-describedby={describedBy} aria-invalid={problem ? true : undefined} placeholder={field.placeholder} value={typeof value === "string" ? value : ""} onChange={(e) => onChange(field.path, e.target.value)} />;
      break;
    default:
      input = (
        <input
          id={id}
          type={field.kind === "number" || field.kind === "integer" ? "number" : "text"}
          aria-describedby={describedBy}
          aria-invalid={problem ? true : undefined}
          placeholder={field.placeholder}
          value={typeof value === "string" ? value : ""}
          onChange={(e) => onChange(field.path, e.target.value)}
        />
      );
  }
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {input}
      {help}
      {problemText}
    </div>
  );
}
