/** The title catalog (issue 18, item 8): the 27 series with their tracks, and a title checked against series, track and level. */
import { checkTitle, levelsOf, titleFor, titleLevels, titleSeries, titlesAt, tracksOf } from '../../config/title-series.js';

const names = titleSeries.map((s) => s.name);

describe('title series', () => {
  it('has the 27 series, 民用航空飞行技术 and 船舶 among them', () => {
    expect(names).toHaveLength(27);
    expect(new Set(names).size).toBe(27);
    expect(names).toEqual(expect.arrayContaining(['民用航空飞行技术', '船舶', '卫生技术', '公共法律服务']));
  });

  it('has the tracks the issue names inside the series', () => {
    const tracks = (s: string) => tracksOf(s).map((t) => t.name);
    expect(tracks('卫生技术')).toEqual(expect.arrayContaining(['医疗', '药学', '护理', '技术']));
    expect(titlesAt('卫生技术', 'intermediate').map((x) => x.title)).toEqual(expect.arrayContaining(['主治医师', '主管药师', '主管护师', '主管技师']));
    expect(['senior', 'vice_senior', 'intermediate', 'assistant', 'junior'].map((l) => titleFor('卫生技术', l, '药学'))).toEqual(['主任药师', '副主任药师', '主管药师', '药师', '药士']);
    expect(['senior', 'vice_senior', 'intermediate', 'assistant', 'junior'].map((l) => titleFor('卫生技术', l, '护理'))).toEqual(['主任护师', '副主任护师', '主管护师', '护师', '护士']);
    expect(['senior', 'vice_senior', 'intermediate', 'assistant', 'junior'].map((l) => titleFor('卫生技术', l, '技术'))).toEqual(['主任技师', '副主任技师', '主管技师', '技师', '技士']);
    expect(['senior', 'vice_senior', 'intermediate', 'assistant'].map((l) => titleFor('新闻', l, '编辑'))).toEqual(['高级编辑', '主任编辑', '编辑', '助理编辑']);
    expect(tracks('出版')).toEqual(expect.arrayContaining(['技术编辑', '校对']));
    expect(tracks('技工院校教师')).toContain('实习指导教师');
    expect(tracks('中等职业学校教师')).toContain('实习指导教师');
    expect(tracks('艺术').length).toBeGreaterThan(1);
    expect(tracks('公共法律服务')).toEqual(expect.arrayContaining(['公证员', '司法鉴定人', '法医']));
    expect(tracks('体育')).toContain('运动防护师');
    expect(tracks('农业技术')).toEqual(expect.arrayContaining(['畜牧', '兽医']));
  });

  it('every title of the catalog passes, with its track; inside a series a title belongs to one level', () => {
    let n = 0;
    for (const s of titleSeries) {
      const seen = new Map<string, string>();
      for (const t of s.tracks) {
        for (const [level, title] of Object.entries(t.titles)) {
          n++;
          expect(checkTitle({ series: s.name, level, title })).toMatchObject({ ok: true, series: s.name, level, title, track: titlesAt(s.name, level).find((x) => x.title === title)!.track });
          if (seen.has(title)) expect(seen.get(title)).toBe(level);
          seen.set(title, level);
        }
      }
    }
    expect(n).toBeGreaterThan(150);
  });
});

describe('checkTitle', () => {
  it('a mid-level nurse is 主管护师; a title of another level or series is refused, naming the titles that fit', () => {
    expect(checkTitle({ series: '卫生技术', level: 'intermediate', title: '主管护师' })).toEqual({ ok: true, series: '卫生技术', level: 'intermediate', title: '主管护师', track: '护理' });
    expect(checkTitle({ series: '卫生技术', level: 'intermediate', title: '主任护师' })).toEqual({ ok: false, field: 'title',
      message: '「卫生技术」系列中级的专业技术职务为：主治医师（医疗）、主管药师（药学）、主管护师（护理）、主管技师（技术）、主治中医师（中医）' });
    expect(checkTitle({ series: '工程技术', level: 'intermediate', title: '主管护师' })).toEqual({ ok: false, field: 'title', message: '「工程技术」系列中级的专业技术职务为：工程师' });
  });

  it('a level the series lacks, an unknown level or series, a title without series and level are refused', () => {
    expect(checkTitle({ series: '高等学校教师', level: 'junior', title: '助教' })).toEqual({ ok: false, field: 'title_level', message: '「高等学校教师」系列没有员级职称（该系列的级别：正高级、副高级、中级、助理级）' });
    expect(checkTitle({ series: '不存在的系列', level: 'senior' })).toEqual({ ok: false, field: 'title_series', message: '职称系列「不存在的系列」不在职称系列目录中' });
    expect(checkTitle({ series: '会计', level: 'top' })).toMatchObject({ ok: false, field: 'title_level', message: `职称级别应为：${titleLevels.map((l) => l.label).join('、')}` });
    expect(checkTitle({ title: '工程师' })).toMatchObject({ ok: false, field: 'title_series' });
    expect(checkTitle({ series: '工程技术', title: '工程师' })).toMatchObject({ ok: false, field: 'title_level' });
    expect(checkTitle({ level: 'senior' })).toMatchObject({ ok: false, field: 'title_series' });
  });

  it('allows no title, a series alone, or a series and level without the title yet', () => {
    expect(checkTitle({})).toEqual({ ok: true, series: null, level: null, title: null, track: null });
    expect(checkTitle({ series: '工程技术', level: null, title: '' })).toMatchObject({ ok: true, series: '工程技术' });
    expect(checkTitle({ series: '工程技术', level: 'senior' })).toMatchObject({ ok: true, level: 'senior', title: null });
  });

  it('compares without spaces and with ASCII brackets as the catalog’s full-width ones, and gives the catalog spelling', () => {
    expect(checkTitle({ series: '公共法律服务', level: 'assistant', title: ' 初级司法鉴定人(物证类) ' })).toMatchObject({ ok: true, title: '初级司法鉴定人（物证类）', track: '司法鉴定人（物证类）' });
    expect(checkTitle({ series: '公共法律服务', level: 'intermediate', title: '主检法医师' })).toMatchObject({ ok: true, track: '法医' });
    expect(levelsOf('公共法律服务', '法医')).toEqual(['senior', 'vice_senior', 'intermediate', 'assistant']);
  });
});
