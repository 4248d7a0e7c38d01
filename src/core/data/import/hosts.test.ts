import { describe, expect, it } from 'vitest';
import { refusedUrl, urlHosts } from './hosts';

const origin = 'http://localhost:5173';

describe('the hosts an import would contact', () => {
  it('groups by host and port, most images first, then by name', () => {
    expect(
      urlHosts(
        [
          'https://b.example.org/1.png',
          'https://a.example.org/1.png',
          'https://c.example.org:8443/x.png',
          'https://c.example.org:8443/y.png',
          'https://c.example.org/z.png',
          'https://user:secret@a.example.org/2.png',
        ],
        origin,
      ),
    ).toEqual([
      { host: 'a.example.org', count: 2, downloadable: true },
      { host: 'c.example.org:8443', count: 2, downloadable: true },
      { host: 'b.example.org', count: 1, downloadable: true },
      { host: 'c.example.org', count: 1, downloadable: true },
    ]);
  });

  it('shows a look-alike international name in the form the browser contacts', () => {
    expect(urlHosts(['https://exаmple.com/a.png'], origin)[0]!.host).toBe('xn--exmple-4nf.com'); // a Cyrillic "а"
  });

  it('keeps http: apart, and marks another site\'s http: as not downloadable (the app\'s own is)', () => {
    expect(urlHosts(['http://a.example.org/1.png', 'https://a.example.org/2.png', `${origin}/samples/x.png`], origin)).toEqual([
      { host: 'a.example.org', count: 1, downloadable: false },
      { host: 'a.example.org', count: 1, downloadable: true },
      { host: 'localhost:5173', count: 1, downloadable: true },
    ]);
  });

  it('leaves out what does not parse (its fetch fails and is listed as skipped)', () => {
    expect(urlHosts(['https://', 'not a url'], origin)).toEqual([]);
  });

  it('says why an address is not downloaded', () => {
    expect(refusedUrl('https://a.example.org/1.png', origin)).toBeNull();
    expect(refusedUrl(`${origin}/x.png`, origin)).toBeNull();
    expect(refusedUrl('http://a.example.org/1.png', origin)).toBe(
      'this is an http: address (unencrypted), and the app downloads images only over https:. Use its https: address if the server has one, or download the image and import it from a folder',
    );
    expect(refusedUrl('https://', origin)).toBe('this is not a valid web address');
  });
});
