/** Zip reading and writing for deploy and retrieve (jszip, a dev dependency: the emulator is test tooling). */
import JSZip from 'jszip';

/** Text files of a zip, keyed by path with `/` separators (directories left out). */
export async function readZip(data: Buffer): Promise<Map<string, string>> {
  const zip = await JSZip.loadAsync(data);
  const files = new Map<string, string>();
  for (const entry of Object.values(zip.files)) {
    if (entry.dir) continue;
    // eslint-disable-next-line no-await-in-loop
    files.set(entry.name.replace(/\\/g, '/').replace(/^\.\//, ''), await entry.async('string'));
  }
  return files;
}

export async function writeZip(files: Map<string, string>): Promise<Buffer> {
  const zip = new JSZip();
  for (const [path, content] of files) zip.file(path, content);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}
