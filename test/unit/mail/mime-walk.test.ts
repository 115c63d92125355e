import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';
import { describe, expect, it } from 'vitest';
import { walkCommonMail } from '../../../mail/extract/mime-walk.ts';
import { FORMATS, generateCase, generateMatrix, WRAPPERS } from '../../fixtures/bb-generator.ts';
import { HOSTILE_TEXTS } from '../../fixtures/hostile-inputs.ts';

const SAMPLES = '/work/shared/samples/behovsbedomning';

/** What mailparser gives, with eml.ts's options, in the walk's shape. */
async function reference(raw: Buffer): Promise<ReturnType<typeof walkCommonMail>> {
  const parsed = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true, skipHtmlToText: true });
  return {
    attachments: parsed.attachments.map((a) => ({ filename: a.filename ?? null, contentType: a.contentType, content: a.content })),
    ...(typeof parsed.html === 'string' ? { html: parsed.html } : {}),
    ...(parsed.text !== undefined ? { text: parsed.text } : {}),
  };
}

const build = (mail: Mail.Options): Promise<Buffer> => new MailComposer(mail).compile().build();

async function expectSameAsMailparser(raw: Buffer, label: string): Promise<boolean> {
  const walked = walkCommonMail(raw);
  if (walked === undefined) return false;
  expect(walked, label).toStrictEqual(await reference(raw));
  return true;
}

describe('the light MIME walk', () => {
  it('lists the same parts as mailparser for every generated format, wrapper and flaw', async () => {
    let taken = 0;
    let total = 0;
    for (const seed of [1, 42, 2026]) {
      for (const c of await generateMatrix(seed)) {
        if (c.wrapper === 'bare') continue;
        total++;
        if (await expectSameAsMailparser(c.bytes, `${seed} ${c.id} ${c.format} ${c.wrapper}`)) taken++;
      }
    }
    // Everything but forwarded mails (message/rfc822, left to mailparser) takes the light path.
    expect(taken).toBeGreaterThanOrEqual(Math.floor(total * 0.7));
  }, 60_000);

  it('takes the mails of the parse benchmark (all but forwarded ones) and agrees with mailparser', async () => {
    for (let i = 0; i < 40; i++) {
      const wrapper = WRAPPERS.filter((w) => w !== 'bare')[i % (WRAPPERS.length - 1)] ?? 'mail';
      const c = await generateCase(7, i, { format: FORMATS[i % FORMATS.length] ?? 'pdf', wrapper, flaw: 'none' });
      const taken = await expectSameAsMailparser(c.bytes, `${i} ${c.format} ${wrapper}`);
      expect(taken, `${i} ${wrapper}`).toBe(wrapper !== 'mail-forwarded');
    }
  }, 60_000);

  it('agrees with mailparser on the sample mails', async () => {
    const files = readdirSync(SAMPLES).filter((f) => f.endsWith('.eml'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) await expectSameAsMailparser(readFileSync(path.join(SAMPLES, f)), f);
  });

  it('agrees with mailparser on text and HTML in every arrangement, quoted-printable and line endings', async () => {
    const long = `Rad med å, ä och ö = lika med ${'x'.repeat(120)} slut   \nandra raden\t\n\nsista`;
    const mails: Mail.Options[] = [
      { text: long },
      { html: `<p>${long}</p>` },
      { text: long, html: `<p>${long}</p>` },
      { text: 'kort', html: '<b>kort</b>', attachments: [{ filename: 'a.pdf', content: Buffer.from('%PDF-1.4 x') }] },
      { text: 'namn', attachments: [{ filename: 'Behovsbedömning för Åsa Öberg med ett mycket långt filnamn som delas.pdf', content: Buffer.from('%PDF-1.4 x') }] },
      { text: 'kort', attachments: [{ filename: 'anteckning.txt', content: 'inline text', contentDisposition: 'inline' }] },
      { text: 'kort', attachments: [{ filename: 'bilaga.html', content: '<p>bilaga</p>', contentType: 'text/html' }] },
      { text: '', attachments: [{ filename: 'tom.txt', content: '' }] },
      { html: '<p>bild</p><img src="cid:logo@x">', attachments: [{ filename: 'logo.gif', content: Buffer.from('GIF89a'), cid: 'logo@x' }] },
      { text: 'latin1', textEncoding: 'quoted-printable' },
      { text: 'b64 ö', textEncoding: 'base64' },
      { alternatives: [{ contentType: 'text/html', content: '<i>alt</i>' }], text: 'med alternativ' },
    ];
    for (const [i, m] of mails.entries()) {
      const raw = await build({ from: 'a@x.example', to: 'b@x.example', subject: 'Ämne', ...m });
      await expectSameAsMailparser(raw, `mail ${i}`);
      await expectSameAsMailparser(Buffer.from(raw.toString('latin1').replace(/\r\n/g, '\n'), 'latin1'), `mail ${i} (LF)`);
    }
  });

  it('agrees with mailparser or declines on hostile text bodies, and declines large mails', async () => {
    for (const h of HOSTILE_TEXTS) {
      const text = h.text();
      const small = await build({ from: 'a@x.example', to: 'b@x.example', text: text.slice(0, 64 * 1024) });
      await expectSameAsMailparser(small, h.name);
      const whole = await build({ from: 'a@x.example', to: 'b@x.example', text });
      if (whole.length > 512 * 1024) expect(walkCommonMail(whole), h.name).toBeUndefined();
      else await expectSameAsMailparser(whole, h.name);
    }
  }, 60_000);

  it('declines what it does not model: forwarded mails, other charsets, flowed text, encoded names, broken structure', () => {
    const head = 'From: a@x.example\r\nMIME-Version: 1.0\r\n';
    const cases = [
      `${head}Content-Type: text/plain; charset=iso-8859-1\r\n\r\nhej`,
      `${head}Content-Type: text/plain; charset=utf-8; format=flowed\r\n\r\nhej`,
      `${head}Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: message/rfc822\r\n\r\nSubject: x\r\n\r\nhej\r\n--b--\r\n`,
      `${head}Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename*=iso-8859-1''Bed%F6mning.pdf\r\n\r\nx\r\n--b--\r\n`,
      `${head}Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: application/pdf; name="=?UTF-8?Q?B=C3=B6.pdf?="\r\n\r\nx\r\n--b--\r\n`,
      `${head}Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nutan slut`,
      `${head}Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: application/octet-stream; name=a.pdf\r\n\r\nx\r\n--b--\r\n`,
      `${head}Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!`,
      `${head}Content-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n=ZZ`,
      `${head}Content-Type: text/plain\r\nContent-Type: text/html\r\n\r\nhej`,
      `${head}\r\nhej utan typ`,
    ];
    for (const c of cases) expect(walkCommonMail(Buffer.from(c, 'latin1')), c).toBeUndefined();
  });
});
