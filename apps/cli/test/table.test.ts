import { renderTable } from '../src/output/table';
import { progressBar } from '../src/output/progress';

test('columns line up, numbers to the right, trailing spaces trimmed', () => {
  expect(
    renderTable(
      [{ title: 'NAME' }, { title: 'N', align: 'right' }, { title: 'NOTE' }],
      [
        ['a', '1', ''],
        ['longer', '12345', 'x'],
      ],
    ),
  ).toBe('NAME        N  NOTE\na           1\nlonger  12345  x\n');
});

test('colour codes do not count towards a column’s width', () => {
  const green = '\x1b[32mok\x1b[39m';
  expect(
    renderTable(
      [{ title: 'S' }, { title: 'T' }],
      [
        [green, 'x'],
        ['fail', 'y'],
      ],
    ),
  ).toBe(`S     T\n${green}    x\nfail  y\n`);
});

test('the progress bar fills in proportion and never beyond its width', () => {
  expect(progressBar(0, 4)).toBe(`[${'░'.repeat(30)}] 0/4 done`);
  expect(progressBar(1, 4)).toBe(`[${'█'.repeat(8)}${'░'.repeat(22)}] 1/4 done`);
  expect(progressBar(4, 4)).toBe(`[${'█'.repeat(30)}] 4/4 done`);
  expect(progressBar(0, 0)).toBe(`[${'░'.repeat(30)}] 0/0 done`);
});
