import { expect } from 'chai';
import fc from 'fast-check';
import { parseQuery } from '../src/query-entries';
import { Redactor } from '../src/redactor';

/** Characters that matter to form decoding and encoding, and some that do not. */
const queryText = fc.string({
  unit: fc.constantFrom('a', 'Z', '0', '_', '.', '*', '-', '~', '=', '&', '?', '%', '2', '0', '+', ' ', '#', '[', 'é', '\ud83d\ude00'),
  maxLength: 30,
});

describe('parseQuery', () => {
  it('splits a plain query as URLSearchParams does, and says it is plain', () => {
    expect(parseQuery('page=2&sort=name&&flag&=x&token=a.b_c-d*')).to.deep.equal({
      entries: [['page', '2'], ['sort', 'name'], ['flag', ''], ['', 'x'], ['token', 'a.b_c-d*']],
      plain: true,
    });
  });

  it('leaves to URLSearchParams a query it would decode or encode', () => {
    for (const query of ['q=a+b', 'q=%41', 'a=b=c', '?a=1', 'q=~', 'q=é']) {
      const parsed = parseQuery(query);
      expect(parsed.plain, query).to.equal(false);
      expect(parsed.entries, query).to.deep.equal([...new URLSearchParams(query)]);
    }
  });

  it('holds what URLSearchParams holds, and writes back what it writes, for any query', () => {
    const redactor = new Redactor();
    fc.assert(
      fc.property(queryText, fc.constantFrom('', '&token=s3cret', '&token=%5BREDACTED%5D'), (text, secret) => {
        const query = text + secret;
        const parsed = parseQuery(query);
        const expected = [...new URLSearchParams(query)];
        expect(parsed.entries).to.deep.equal(expected);
        // The encoder's form, from the same pairs: the plain join must write exactly that.
        expect(redactor.queryString(parsed.entries, parsed.plain)).to.equal(redactor.queryString(expected));
        expect(redactor.queryString(parsed.entries, parsed.plain)).not.to.contain('s3cret');
      }),
      { numRuns: 3000 },
    );
  });
});
