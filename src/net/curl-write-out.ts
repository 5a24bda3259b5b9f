/**
 * curl's `-w/--write-out` format: `%{variable}`, `%header{name}`, `%%`, and the `\n`, `\r`, `\t` escapes.
 */
export interface WriteOutFacts {
  status: number;
  httpVersion: string;
  method: string;
  url: string;
  contentType?: string;
  headers: [string, string][];
  sizeDownload: number;
  sizeUpload: number;
  sizeHeader: number;
  exitCode: number;
  errorMessage?: string;
  remoteIp: string;
  remotePort: number;
  numRedirects: number;
  redirectUrl?: string;
  scheme: string;
  filename?: string;
  /** Seconds since the start, for the `time_*` variables. */
  elapsedSec: number;
}

function variable(name: string, f: WriteOutFacts): string | undefined {
  const seconds = f.elapsedSec.toFixed(6);
  switch (name) {
    case 'http_code':
    case 'response_code':
      return String(f.status).padStart(3, '0');
    case 'http_version':
      return f.httpVersion;
    case 'method':
      return f.method;
    case 'url_effective':
      return f.url;
    case 'content_type':
      return f.contentType ?? '';
    case 'size_download':
      return String(f.sizeDownload);
    case 'size_upload':
      return String(f.sizeUpload);
    case 'size_header':
      return String(f.sizeHeader);
    case 'num_headers':
      return String(f.headers.length);
    case 'exitcode':
      return String(f.exitCode);
    case 'errormsg':
      return f.errorMessage ?? '';
    case 'remote_ip':
      return f.remoteIp;
    case 'remote_port':
      return String(f.remotePort);
    case 'num_redirects':
      return String(f.numRedirects);
    case 'redirect_url':
      return f.redirectUrl ?? '';
    case 'scheme':
      return f.scheme.toUpperCase();
    case 'filename_effective':
      return f.filename ?? '';
    case 'num_connects':
      return '1';
    case 'time_total':
    case 'time_starttransfer':
    case 'time_pretransfer':
    case 'time_connect':
    case 'time_appconnect':
    case 'time_namelookup':
      return seconds;
    case 'time_redirect':
      return '0.000000';
    default:
      return undefined;
  }
}

/** Expands the format; unknown variables print nothing and a warning line for stderr, as curl does. */
export function writeOut(format: string, facts: WriteOutFacts): { text: string; warnings: string[] } {
  const warnings: string[] = [];
  const text = format.replace(/%%|%\{([^}]*)\}|%header\{([^}]*)\}|\\([nrt])/g, (match, name?: string, header?: string, esc?: string) => {
    if (match === '%%') return '%';
    if (esc !== undefined) return esc === 'n' ? '\n' : esc === 'r' ? '\r' : '\t';
    if (header !== undefined) {
      const wanted = header.toLowerCase();
      return facts.headers.find(([n]) => n.toLowerCase() === wanted)?.[1] ?? '';
    }
    const value = variable(name ?? '', facts);
    if (value === undefined) warnings.push(`curl: unknown --write-out variable: '${name ?? ''}'`);
    return value ?? '';
  });
  return { text, warnings };
}
