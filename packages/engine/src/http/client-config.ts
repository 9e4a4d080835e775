/** The settings the HTTP client itself reads; k6/http's other settings are in modules/http-config.ts. */

/** Which client carries `http:` URLs (`https:` always goes through undici). */
export type HttpClientKind = 'http1' | 'undici';

export interface ClientConfig {
  client: HttpClientKind;
  insecureSkipTLSVerify: boolean;
  /** Close the connection after every request (k6's noConnectionReuse). */
  noConnectionReuse: boolean;
}
