/**
 * Where the DigitalOcean token comes from: Secrets Manager in AWS, `DIGITALOCEAN_TOKEN` locally.
 * The token is never a parameter, a prop, a flag or a log field.
 */
export interface TokenSource {
  getToken(): Promise<string>;
}
