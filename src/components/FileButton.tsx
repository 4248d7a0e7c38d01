/**
 * A button that opens the file chooser for one file: a visually hidden file input inside a
 * label styled as a button, named for screen readers and tests by `label`. The input is
 * cleared after each choice, so the same file can be chosen again.
 */
export function FileButton({
  label,
  accept,
  className,
  title,
  onFile,
}: {
  label: string;
  accept: string;
  className: string;
  title?: string;
  onFile(file: File): void;
}) {
  return (
    <label className={className} title={title}>
      <input
        type="file"
        accept={accept}
        aria-label={label}
        onChange={(e) => {
          const input = e.currentTarget;
          const file = input.files?.[0];
          input.value = ''; // the same file can be chosen again
          if (file) onFile(file);
        }}
      />
      <span aria-hidden="true">{label}</span>
    </label>
  );
}
